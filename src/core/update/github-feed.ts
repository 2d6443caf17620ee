// Reads GitHub's releases JSON (a list of releases, or one release object) and picks the
// newest release worth updating to: drafts ignored, prereleases only when opted in, tags that
// are not versions skipped, the highest version strictly newer than ours wins.
import { compare, type SemVer } from 'semver';
import { z } from 'zod';
import { describeValue } from '../config/validation.js';
import { parseCurrentVersion, parseVersionTag } from './version-tag.js';

export interface FeedRelease {
  /** Canonical version, e.g. `9.0.0` for the tag `v9.0`. */
  version: string;
  /** The tag as published. */
  tag: string;
  /** The release page, else the first asset's download. */
  url?: string;
}

export interface FeedOptions {
  currentVersion: string;
  includePrerelease: boolean;
}

const got = (iss: { input?: unknown }) => `(got ${describeValue(iss.input)})`;
const text = z.string({ error: (iss) => `must be a string ${got(iss)}` });
const flag = z.boolean({ error: (iss) => `must be true or false ${got(iss)}` });

// Only the fields used; GitHub sends many more, which are ignored.
const releaseSchema = z.object(
  {
    tag_name: text,
    draft: flag.nullish(),
    prerelease: flag.nullish(),
    html_url: text.nullish(),
    assets: z
      .array(
        z.object(
          { name: text, browser_download_url: text },
          { error: (iss) => `must be an asset object ${got(iss)}` },
        ),
        { error: (iss) => `must be a list ${got(iss)}` },
      )
      .nullish(),
  },
  { error: (iss) => `must be a release object ${got(iss)}` },
);

type Release = z.infer<typeof releaseSchema>;

/** The newest release to update to, or null when none is newer. Throws on a malformed feed. */
export function parseGithubReleases(json: unknown, options: FeedOptions): FeedRelease | null {
  const current = parseCurrentVersion(options.currentVersion);
  let best: { version: SemVer; release: Release } | undefined;
  for (const release of readReleases(json)) {
    if (release.draft === true) continue;
    const version = parseVersionTag(release.tag_name);
    if (version === null) continue;
    // A `-beta` tag is a prerelease even when GitHub's flag was left unset.
    const prerelease = release.prerelease === true || version.prerelease.length > 0;
    if (prerelease && !options.includePrerelease) continue;
    if (compare(version, current) <= 0) continue;
    if (best !== undefined && compare(version, best.version) <= 0) continue;
    best = { version, release };
  }
  if (best === undefined) return null;
  const url = best.release.html_url ?? best.release.assets?.[0]?.browser_download_url;
  return {
    version: best.version.version,
    tag: best.release.tag_name,
    ...(url === undefined ? {} : { url }),
  };
}

function readReleases(json: unknown): Release[] {
  const isList = Array.isArray(json);
  const schema = isList ? z.array(releaseSchema) : releaseSchema;
  const result = schema.safeParse(json);
  if (result.success) return isList ? (result.data as Release[]) : [result.data as Release];
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  // A JSON path to the bad field: `[2].tag_name` in a list, `tag_name` in a single release.
  const where = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`));
  const detail =
    path.length === 0
      ? `expected a list of releases or one release object ${got({ input: json })}`
      : `${where.join('').replace(/^\./, '')} ${issue?.message ?? 'is invalid'}`;
  throw new Error(`release feed is not a GitHub releases list: ${detail}`);
}
