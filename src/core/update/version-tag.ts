// Release versions from tags: `1.2.3`, `v1.2.3`, `studio-worker-v1.2.3`, with an optional
// prerelease (`1.2.3-beta.1`) and build metadata (ignored). Parsing and ordering are the `semver`
// package's, the same that electron-updater orders the desktop app's feed with, so both update
// paths agree on which version is newer; this module only maps our tag spellings onto it.
import { parse, type SemVer } from 'semver';

const PREFIX = 'studio-worker-';

// `major.minor` without a patch is read as `major.minor.0`: real projects tag releases like
// `v9.0` (see the alfred-workflow fixture), and reading them as x.y.0 orders them correctly.
// The lookahead keeps `1.2.3` untouched; leading zeros stay invalid, as semver wants.
const TWO_PART = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)(?=$|[-+])/;

/** The version a tag names, or null when the tag is not a version tag. */
export function parseVersionTag(tag: string): SemVer | null {
  let text = tag.trim();
  if (text.startsWith(PREFIX)) text = text.slice(PREFIX.length);
  // Strict parse (not `loose`): it accepts a leading `v` but not `V`, `=` or leading zeros.
  return parse(text.replace(TWO_PART, '$1.$2.0'));
}

/** Our own version (from package.json): unlike a feed's tags, it must parse. */
export function parseCurrentVersion(text: string): SemVer {
  const version = parseVersionTag(text);
  if (version === null) {
    throw new Error(`the current version ${JSON.stringify(text)} is not a version like 1.2.3`);
  }
  return version;
}
