// A user's clone has nothing beside it: no code, test, script or CI step may read a path above the
// repository (the project's shared folder with its recorded fixtures lives there on the
// developers' machines only). The fixtures the tests need are copied into test/fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'test', 'bench', 'scripts', 'renderer', '.ci', 'bin'];
const SCANNED_FILES = ['package.json', 'vitest.config.ts', 'vite.config.ts', 'eslint.config.js'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'fixtures']);

// Written in pieces so that this file does not match itself.
const SHARED = 'sha' + 'red';
const RELATIVE = /(?:\.\.[/\\])+[\w.-]+/g;
const OUTSIDE = [
  new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SHARED}['"]`),
  new RegExp(`\\b${SHARED}[/\\\\]fixtures\\b`),
];

function insideRoot(file: string): boolean {
  return !path.relative(root, file).startsWith('..');
}

/**
 * The folder a file's relative paths are resolved from when it runs: bench/ runs compiled from
 * dist/bench, Vite's root is renderer/, and ESLint's patterns are globs (nothing to resolve).
 */
function baseDirOf(file: string): string {
  const rel = path.relative(root, file);
  if (rel === 'vite.config.ts') return path.join(root, 'renderer');
  if (rel === 'eslint.config.js') return path.join(root, 'src', 'any');
  if (rel.startsWith(`bench${path.sep}`)) return path.dirname(path.join(root, 'dist', rel));
  return path.dirname(file);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) out.push(...filesUnder(full));
    } else if (/\.(ts|tsx|cts|mts|js|mjs|cjs|json|sh)$|^run$/.test(name)) {
      out.push(full);
    }
  }
  return out;
}

/** Each line of the given files that names a path outside the repository. */
function outsideReferences(files: string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const escapes = [...line.matchAll(RELATIVE)].some(
          ([rel]) => !insideRoot(path.resolve(baseDirOf(file), rel)),
        );
        if (escapes || OUTSIDE.some((re) => re.test(line))) {
          hits.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
        }
      });
  }
  return hits;
}

describe('the repository is self-contained', () => {
  it('has no code, test or script that reads the shared folder beside it', () => {
    const files = [
      ...SCANNED.flatMap((dir) => filesUnder(path.join(root, dir))),
      ...SCANNED_FILES.map((f) => path.join(root, f)),
    ];
    expect(files.length).toBeGreaterThan(100);
    expect(outsideReferences(files)).toEqual([]);
  });

  it('flags a file that reaches beside the repository', () => {
    const dir = path.join(root, 'test', 'repository');
    const probe = path.join(dir, 'self-contained.test.ts');
    expect(outsideReferences([probe])).toEqual([]);
    const line = `const dir = path.resolve(root, '..', '${SHARED}', 'fixtures');`;
    expect(OUTSIDE.some((re) => re.test(line))).toBe(true);
    const reader = path.join(root, 'test', 'reader.ts');
    expect(
      [...`read('../../${SHARED}/x.json')`.matchAll(RELATIVE)].map(([rel]) =>
        insideRoot(path.resolve(path.dirname(reader), rel)),
      ),
    ).toEqual([false]);
  });

  it('keeps the recorded fixtures with a note of where each came from', () => {
    const sources = readFileSync(path.join(root, 'test', 'fixtures', 'SOURCES.md'), 'utf8');
    for (const kind of readdirSync(path.join(root, 'test', 'fixtures'))) {
      if (kind === 'SOURCES.md') continue;
      for (const name of readdirSync(path.join(root, 'test', 'fixtures', kind))) {
        expect(sources, `${kind}/${name}`).toContain(`${kind}/${name}`);
      }
    }
  });
});
