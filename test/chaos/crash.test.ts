// Crash safety: the real `studio-worker run` process is killed with SIGKILL at random moments —
// in the engine, while spooling, mid-upload — and restarted each time. No finished result may be
// lost, and nothing half-written may ever be uploaded.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SPOOL_MARKER } from '../../src/core/runtime/spool.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { spawnCli } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';
import { BIG, report } from './report.js';

const JOBS = BIG ? 120 : 30;
/** Kills before the last, undisturbed run finishes what is left. */
const KILLS = BIG ? 120 : 30;

describe('chaos: crash safety', () => {
  it(`loses no finished result across SIGKILLs at random points over ${JOBS} jobs`, async () => {
    const sim = await startStudioSim({ port: 0, leaseMs: 800, maxAttempts: 1_000 });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir, {
        engine: 'multi',
        engines: [{ engine: 'synthetic', delay_ms: 120 }],
      });
      const ids = Array.from({ length: JOBS }, (_, i) =>
        sim.enqueue(
          i % 2 === 0
            ? {
                model: 'synthetic-image',
                task: { kind: 'image', prompt: `p${i}`, width: 256, height: 256, ext: 'png' },
              }
            : {
                model: 'synthetic-llm',
                task: { kind: 'llm', messages: [{ role: 'user', content: `q${i}` }] },
              },
        ),
      );
      const done = () => ids.every((id) => sim.job(id)?.state === 'completed');
      let kills = 0;
      let random = 42;
      const nextRandom = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      const started = Date.now();
      while (!done() && kills < KILLS) {
        const run = spawnCli(['run', '--config', store.path]);
        const lifetimeMs = 200 + nextRandom() * 800;
        await new Promise((r) => setTimeout(r, lifetimeMs)); // real time: a real child process
        run.child.kill('SIGKILL');
        await run.exited;
        kills += 1;
      }
      // One last run, left alone, finishes what is left (including the spool).
      const last = spawnCli(['run', '--config', store.path]);
      await eventually(done, `all ${JOBS} jobs completed`, 60_000);
      await eventually(
        async () =>
          (await readdir(path.join(dir, 'spool'))).filter((n) => n !== SPOOL_MARKER).length === 0,
        'an empty spool',
        10_000,
      );
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);

      const jobs = ids.map((id) => sim.job(id)!);
      for (const job of jobs.filter((j) => j.result?.kind === 'file')) {
        const result = job.result as { path: string };
        // Every uploaded picture is whole: it decodes to the size asked.
        const meta = await sharp(result.path).metadata();
        expect(meta).toMatchObject({ format: 'png', width: 256, height: 256 });
      }
      await report('crash safety', {
        jobs: JOBS,
        SIGKILLs: kills,
        completed: jobs.filter((j) => j.state === 'completed').length,
        lost: jobs.filter((j) => j.state !== 'completed').length,
        'accepted twice': jobs.filter((j) => j.completions > 1).length,
        'results refused as already done (re-sent after a kill)': jobs.reduce(
          (n, j) => n + j.history.filter((e) => e.kind === 'completion-rejected').length,
          0,
        ),
        seconds: Math.round((Date.now() - started) / 1000),
      });
      expect(jobs.every((j) => j.completions === 1)).toBe(true);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
