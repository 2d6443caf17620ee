// The benchmark's quick mode runs end to end and writes a results file of the documented shape.
// No timings are asserted: a slow machine misses targets, it does not fail tests.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeProblems, type BenchResults } from '../../bench/results.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run bench --quick', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-'));
    // dist/ is built by the global setup; the bench compiles on top of it.
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'bench/tsconfig.json'], {
      cwd: root,
    });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs two measurements in quick mode and writes results of the documented shape', async () => {
    const out = path.join(dir, 'results.json');
    const { stdout } = await run(
      process.execPath,
      ['dist/bench/run.js', '--quick', '--only', 'ui-feed,log-shipping', '--out', out],
      { cwd: root },
    );
    const results = JSON.parse(await readFile(out, 'utf8')) as BenchResults;
    expect(shapeProblems(results)).toEqual([]);
    expect(results.quick).toBe(true);
    expect(results.measurements.map((m) => m.id)).toEqual(['ui-feed', 'log-shipping']);
    for (const m of results.measurements) expect(stdout).toContain(m.title);
  }, 90_000);
});
