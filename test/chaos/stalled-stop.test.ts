// A studio that never answers cannot keep `studio-worker run` alive through SIGTERM, and a
// config whose schedule would spin or flood is refused before anything starts.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { uploadsAfterRestart } from './restart.js';
import { configFor, eventually, FAST_SCHEDULE, tempDir } from '../helpers/harness.js';

describe('chaos: stop with a stalled studio', () => {
  it('exits on the first SIGTERM within the grace period while an upload hangs, result spooled', async () => {
    const sim = await startStudioSim({ port: 0 });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir, {
        request_timeout_secs: 600,
        shutdown_grace_secs: 2,
        schedule: FAST_SCHEDULE,
      });
      sim.setFaults({ routes: { complete: { hang: 1 } } });
      const id = sim.enqueue({
        model: 'synthetic-image',
        task: { kind: 'image', prompt: 'keep', width: 16, height: 16, ext: 'png' },
      });
      // Real time: a real process, a real signal and a real studio that never answers.
      const run = spawnCli(['run', '--config', store.path]);
      await eventually(
        () => sim.requests().some((r) => r.route === 'complete'),
        'the upload',
        15_000,
      );
      const asked = Date.now();
      run.child.kill('SIGTERM');
      const result = await run.exited;
      // shutdown_grace_secs (2 s) plus a few seconds, not the 10-minute request timeout.
      expect(Date.now() - asked).toBeLessThan(6_000);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('result kept in the spool');

      sim.setFaults(undefined);
      await uploadsAfterRestart(sim, id, store.path);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.each(['heartbeat_secs', 'log_flush_secs', 'auto_update_tick_secs', 'claim_idle_secs'])(
    'refuses to run with schedule.%s = 0, naming the key and its range',
    async (key) => {
      const dir = await tempDir();
      const file = path.join(dir, 'config.toml');
      await writeFile(file, `[schedule]\n${key} = 0\n`);
      const result = await runCli(['run', '--config', file]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(`schedule\\.${key} must be from [\\d.]+ to \\d+ \\(got 0\\)`),
      );
    },
  );
});
