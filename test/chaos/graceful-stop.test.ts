// Graceful stop: the first SIGTERM lets the running job finish; a second one exits at once and
// leaves the finished result safe in the spool for the next start.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { spawnCli } from '../helpers/cli.js';
import { uploadsAfterRestart } from './restart.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

describe('chaos: graceful stop', () => {
  it('exits at once on a second SIGTERM with the finished result kept in the spool', async () => {
    const sim = await startStudioSim({ port: 0 });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir, {
        engine: 'multi',
        engines: [{ engine: 'synthetic', delay_ms: 800 }],
        schedule: {
          heartbeat_secs: 0.1,
          claim_after_job_secs: 0,
          claim_idle_secs: 0.05,
          log_flush_secs: 0.05,
          auto_update_tick_secs: 60,
          backoff_max_secs: 5,
        },
      });
      // The studio refuses uploads for now: the result can only wait in the spool.
      sim.setFaults({ routes: { complete: { status: [{ code: 503, probability: 1 }] } } });
      const id = sim.enqueue({
        model: 'synthetic-image',
        task: { kind: 'image', prompt: 'keep', width: 32, height: 32, ext: 'png' },
      });
      const run = spawnCli(['run', '--config', store.path]);
      await eventually(() => sim.job(id)?.state === 'leased', 'the claim', 15_000);
      run.child.kill('SIGTERM');
      const spool = path.join(dir, 'spool');
      await eventually(
        async () => (await readdir(spool)).some((f) => f.endsWith('.json')),
        'the spooled result',
        10_000,
      );
      const asked = Date.now();
      run.child.kill('SIGTERM');
      const result = await run.exited;
      expect(Date.now() - asked).toBeLessThan(1_500);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('stopped at once');

      sim.setFaults(undefined);
      await uploadsAfterRestart(sim, id, store.path);
      expect(sim.job(id)?.completions).toBe(1);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
