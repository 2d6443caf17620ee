// The release feed served at GET /releases: GitHub's releases JSON (the fields the original
// worker reads: tag_name, draft, prerelease, assets[].browser_download_url), built from a list.
import { z } from 'zod';

export interface ReleaseAsset {
  name: string;
  /** Absolute, or relative to the sim's URL (e.g. "/updates/StudioWorker-1.2.3.AppImage"). */
  url: string;
}

export interface ReleaseInput {
  version: string;
  prerelease?: boolean;
  draft?: boolean;
  assets?: ReleaseAsset[];
  /** Overrides the tag; default "studio-worker-v<version>". */
  tag?: string;
  /** RFC 3339; default null, as GitHub shows for drafts. */
  publishedAt?: string;
  notes?: string;
}

export interface GithubReleaseAsset {
  id: number;
  name: string;
  browser_download_url: string;
  content_type: string;
  state: 'uploaded';
}

export interface GithubRelease {
  id: number;
  tag_name: string;
  name: string;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  published_at: string | null;
  body: string;
  assets: GithubReleaseAsset[];
}

const releaseInputSchema = z.strictObject({
  version: z.string().min(1),
  prerelease: z.boolean().optional(),
  draft: z.boolean().optional(),
  assets: z.array(z.strictObject({ name: z.string().min(1), url: z.string().min(1) })).optional(),
  tag: z.string().min(1).optional(),
  publishedAt: z.string().optional(),
  notes: z.string().optional(),
});

/** Returns a copy of the list, or throws naming the bad release and field. */
export function checkReleases(list: readonly ReleaseInput[]): ReleaseInput[] {
  const result = z.array(releaseInputSchema).safeParse(list);
  if (result.success) return structuredClone(result.data);
  const issue = result.error.issues[0];
  throw new Error(
    `invalid release list: releases.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown problem'}`,
  );
}

export function releaseTag(release: ReleaseInput): string {
  return release.tag ?? `studio-worker-v${release.version}`;
}

/** The feed, in the order given; relative asset URLs are resolved against `baseUrl`. */
export function releaseFeed(list: readonly ReleaseInput[], baseUrl: string): GithubRelease[] {
  let assetId = 0;
  return list.map((release, index) => {
    const tag = releaseTag(release);
    return {
      id: index + 1,
      tag_name: tag,
      name: `Studio Worker ${release.version}`,
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      html_url: `${baseUrl}/releases/tag/${encodeURIComponent(tag)}`,
      published_at: release.publishedAt ?? null,
      body: release.notes ?? '',
      assets: (release.assets ?? []).map((asset) => ({
        id: (assetId += 1),
        name: asset.name,
        browser_download_url: new URL(asset.url, `${baseUrl}/`).href,
        content_type: 'application/octet-stream',
        state: 'uploaded' as const,
      })),
    };
  });
}
