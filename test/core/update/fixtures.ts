// The recorded release feeds in test/fixtures (copied from the project's recorded captures).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const feedsDir = path.resolve(repoRoot, 'test', 'fixtures', 'release-feeds');

/** v10.0-beta (prerelease), v9.0 and v6.0, from a real GitHub releases list. */
export const RELEASE_LIST = 'github-releases-list-prerelease-and-assets-alfred-workflow-dummy.json';
/** One release object with `draft: true`, tag v3.0.0-beta. */
export const DRAFT_RELEASE = 'github-release-draft-object-release-drafter.json';

export async function feedText(name: string): Promise<string> {
  return readFile(path.join(feedsDir, name), 'utf8');
}

export async function feedJson(name: string): Promise<unknown> {
  return JSON.parse(await feedText(name)) as unknown;
}
