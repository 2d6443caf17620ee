// `studio-worker status --json` carries the one headline as `health`, and the text status its
// summary: from the real running worker's status file, or "not running" when none runs.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

let sim: StudioSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('status health', () => {
  it('says "not running" as a warning, not "Idle", when no worker runs', async () => {
    dir = await tempDir();
    const config = path.join(dir, 'config.toml');
    const r = await runCli(['--config', config, 'status', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      running: false,
      health: { level: 'warning', state: 'not-running', since: null },
    });
    const text = await runCli(['--config', config, 'status']);
    expect(text.stdout).toContain('health:         warning — Not running: start it with');
  });

  it('reports a running worker with a threshold of 0 as unable to take jobs, since it started', async () => {
    sim = await startStudioSim({ port: 0 });
    dir = await tempDir();
    const store = await configFor(sim, dir, { vram_threshold_gb: 0 });
    const before = Date.now();
    // Real time: a real worker process that writes its status file as it runs.
    const run = spawnCli(['run', '--config', store.path]);
    try {
      let json: { health?: { level: string; state: string; summary: string; since: string } } = {};
      await eventually(
        async () => {
          const r = await runCli(['--config', store.path, 'status', '--json']);
          json = JSON.parse(r.stdout) as typeof json;
          return json.health?.state === 'cannot-take-jobs';
        },
        'status to say it cannot take jobs',
        15_000,
      );
      expect(json.health).toMatchObject({
        level: 'error',
        summary:
          'Cannot take jobs: the VRAM threshold is 0 GB, so no job fits — raise it in Settings',
      });
      expect(Date.parse(json.health!.since)).toBeGreaterThanOrEqual(before - 1_000);
      expect(json).not.toHaveProperty('headline');
      const text = await runCli(['--config', store.path, 'status']);
      expect(text.stdout).toMatch(/^health: {9}error — Cannot take jobs: .* \(since \S+Z\)$/m);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  }, 30_000);
});
