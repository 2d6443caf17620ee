// Release versions from tags: `1.2.3`, `v1.2.3`, `studio-worker-v1.2.3`, with an optional
// prerelease (`1.2.3-beta.1`) and build metadata (ignored), ordered by semver precedence.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; numeric ones as numbers. Empty for a release. */
  prerelease: readonly (string | number)[];
}

// `major.minor` without a patch is accepted as `major.minor.0`: real projects tag releases like
// `v9.0` (see the alfred-workflow fixture), and reading them as x.y.0 orders them correctly.
const TAG =
  /^(?:studio-worker-)?v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The version a tag names, or null when the tag is not a version tag. */
export function parseVersion(tag: string): Version | null {
  const match = TAG.exec(tag.trim());
  if (!match) return null;
  const identifiers = match[4] === undefined ? [] : match[4].split('.');
  // Semver forbids leading zeros in numeric prerelease identifiers (`1.0.0-beta.01`).
  if (identifiers.some((id) => /^0\d+$/.test(id))) return null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    prerelease: identifiers.map((id) => (/^\d+$/.test(id) ? Number(id) : id)),
  };
}

/** Our own version (from package.json): unlike a feed's tags, it must parse. */
export function parseCurrentVersion(text: string): Version {
  const version = parseVersion(text);
  if (version === null) {
    throw new Error(`the current version ${JSON.stringify(text)} is not a version like 1.2.3`);
  }
  return version;
}

/** `1.2.3` or `1.2.3-beta.1`: the canonical form, without `v` or prefixes. */
export function formatVersion(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length === 0 ? core : `${core}-${version.prerelease.join('.')}`;
}

/** Semver precedence: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: Version, b: Version): number {
  const byNumbers = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (byNumbers !== 0) return Math.sign(byNumbers);
  // A release ranks above any of its prereleases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    const order = compareIdentifiers(
      a.prerelease[i] as string | number,
      b.prerelease[i] as string | number,
    );
    if (order !== 0) return order;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

/** Numeric identifiers compare as numbers and rank below alphanumeric ones (ASCII order). */
function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
