// The recorded real outputs of driver tools, in test/fixtures (see
// test/fixtures/SOURCES.md for where each came from).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURES = path.resolve(repoRoot, 'test', 'fixtures');

/** A fixture's path, from its name relative to test/fixtures. */
export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixture's text, exactly as recorded. */
export function fixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
