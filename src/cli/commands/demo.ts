// `studio-worker demo`: the whole loop on one machine — start the local studio, queue a mixed
// batch of jobs, run a real worker against it over loopback, save the results, print a summary.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openConfigStore } from '../../core/config/store.js';
import { systemClock } from '../../core/runtime/clock.js';
import { formatDuration } from '../../core/runtime/format.js';
import { startStudioSim } from '../../studio-sim/index.js';
import type { Command } from '../command.js';
import { composeWorker } from '../compose.js';
import { demoEngineConfig, demoEngineOf } from '../demo/engine.js';
import { demoJobs } from '../demo/jobs.js';
import { createProgress } from '../demo/progress.js';
import { UsageError } from '../io.js';
import { consoleSink } from '../log-output.js';
import { whenAborted } from '../when-aborted.js';

const DEMO_TIMEOUT_MS = 5 * 60_000;

export const demoCommand: Command = {
  name: 'demo',
  usage: 'demo [--jobs <n>] [--engine synthetic|llama] [--output <dir>] [--keep-running]',
  summary: 'run a worker against the embedded local studio with a mixed batch of jobs',
  options: {
    jobs: { type: 'string' },
    output: { type: 'string' },
    engine: { type: 'string' },
    'keep-running': { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  async run(ctx) {
    const count = Number(ctx.values.jobs ?? 20);
    if (!Number.isInteger(count) || count < 1 || count > 10_000) {
      throw new UsageError(
        `--jobs must be a whole number from 1 to 10000 (got ${String(ctx.values.jobs)})`,
      );
    }
    const engine = demoEngineOf(ctx.values.engine);
    const outDir = path.resolve(String(ctx.values.output ?? 'demo-output'));
    const { io } = ctx;
    const tempDir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-demo-'));
    const sim = await startStudioSim({ port: 0, releases: [{ version: '0.1.0' }] });
    io.stdout(`local studio: ${sim.url}/ (status page)\n`);
    for (const job of demoJobs(count)) sim.enqueue(job);

    const engineConfig = await demoEngineConfig(engine, tempDir);
    const store = await openConfigStore(path.join(tempDir, 'config.toml'));
    await store.update((c) => ({
      ...c,
      api_base_url: sim.url,
      auto_update_feed: `${sim.url}/releases`,
      spool_dir: path.join(tempDir, 'spool'),
      ...engineConfig,
      schedule: {
        ...c.schedule,
        heartbeat_secs: 1,
        claim_idle_secs: 0.25,
        log_flush_secs: 0.5,
        backoff_max_secs: 2,
      },
    }));
    const quiet = !ctx.values.verbose;
    const worker = composeWorker({
      store,
      logSinks: quiet ? [] : [consoleSink(ctx.logFormat, io.stdout)],
    });
    const started = Date.now();
    try {
      await worker.ensureRegistered(ctx.stopSignal);
      await worker.start();
      const progress = createProgress({ total: count, isTty: io.isTty, write: io.stdout });
      const finished = () =>
        sim.jobs().filter((j) => j.state === 'completed' || j.state === 'failed');
      while (
        finished().length < count &&
        !ctx.stopSignal.aborted &&
        Date.now() - started < DEMO_TIMEOUT_MS
      ) {
        const current = worker.observers.currentJob;
        progress.update(
          finished().length,
          sim.jobs().filter((j) => j.state === 'failed').length,
          current ? `${current.kind}: ${current.promptPreview}` : '',
        );
        await systemClock.sleep(100, ctx.stopSignal);
      }
      progress.update(finished().length, sim.jobs().filter((j) => j.state === 'failed').length, '');
      progress.end();

      const jobs = sim.jobs();
      await saveResults(jobs, outDir);
      const completed = jobs.filter((j) => j.state === 'completed').length;
      const failed = jobs.filter((j) => j.state === 'failed');
      io.stdout(
        [
          '',
          `${completed} of ${count} jobs completed, ${failed.length} failed, in ${formatDuration(Date.now() - started)}`,
          ...failed.map((j) => `  failed ${j.jobId}: ${j.error?.error ?? 'unknown reason'}`),
          `results: ${outDir}`,
          `logs shipped to the studio: ${sim.logs().length}`,
          '',
        ].join('\n'),
      );
      if (ctx.values['keep-running']) {
        io.stdout(
          `worker and studio keep running; status page: ${sim.url}/ — press Ctrl+C to stop\n`,
        );
        await whenAborted(ctx.stopSignal);
      }
      return completed === count ? 0 : 1;
    } finally {
      await worker.stop({ graceMs: 5_000 });
      await sim.close();
      await rm(tempDir, { recursive: true, force: true });
    }
  },
};

async function saveResults(
  jobs: ReturnType<Awaited<ReturnType<typeof startStudioSim>>['jobs']>,
  outDir: string,
) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const job of jobs) {
    const result = job.result;
    if (!result) continue;
    if (result.kind === 'file')
      await copyFile(result.path, path.join(outDir, `${job.jobId}.${result.ext}`));
    else
      await writeFile(
        path.join(outDir, `${job.jobId}.json`),
        JSON.stringify(result.value, null, 2) + '\n',
      );
  }
}
