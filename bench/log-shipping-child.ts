// The worker side of measurement 5, in a process of its own: a started worker (all loops, the
// default schedule) whose logger gets `rate` lines a second for `seconds`, while the log shipper
// sends them to the studio. Reports what was made, dropped and shipped, and the CPU it took.
import { setTimeout as delay } from 'node:timers/promises';
import { openConfigStore } from '../core/config/store.js';
import { childMain, isEntryPoint } from './processes.js';
import { benchEngine, buildWorker } from './rig.js';

export const FLOOD_CATEGORY = 'bench';

export interface FloodInput {
  configPath: string;
  rate: number;
  seconds: number;
}

export interface FloodOutput {
  produced: number;
  dropped: number;
  /** Entries per shipLogs call that the studio accepted, in order. */
  batches: number[];
  /** Round trip of each accepted shipLogs call, ms. */
  batchMs: number[];
  failedBatches: number;
  peakQueue: number;
  floodMs: number;
  /** From the end of the flood until the queue was empty. */
  drainMs: number;
  cpuMs: number;
}

async function flood({ configPath, rate, seconds }: FloodInput): Promise<FloodOutput> {
  const store = await openConfigStore(configPath);
  const batches: number[] = [];
  const batchMs: number[] = [];
  let failedBatches = 0;
  const worker = buildWorker({
    store,
    engine: benchEngine({ model: 'bench-image' }),
    wrapStudio: (api) => ({
      ...api,
      async shipLogs(creds, entries) {
        const started = performance.now();
        try {
          await api.shipLogs(creds, entries);
        } catch (error) {
          failedBatches += 1;
          throw error;
        }
        batches.push(entries.length);
        batchMs.push(performance.now() - started);
      },
    }),
  });
  await worker.start();
  const queue = worker.context.logQueue;
  await delay(500); // the start-up lines go out first
  const total = rate * seconds;
  let produced = 0;
  let peakQueue = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
      while (produced < due) {
        produced += 1;
        worker.log.info(
          FLOOD_CATEGORY,
          `flood line ${produced} of ${total}: a typical log message`,
        );
      }
      peakQueue = Math.max(peakQueue, queue.size);
      if (produced >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  const floodMs = performance.now() - t0;
  while (queue.size > 0 && performance.now() - t0 < floodMs + 30_000) {
    await delay(10);
    peakQueue = Math.max(peakQueue, queue.size);
  }
  const drainMs = performance.now() - t0 - floodMs;
  const used = process.cpuUsage(cpu);
  await worker.stop({ graceMs: 1_000 });
  return {
    produced,
    dropped: queue.dropped,
    batches,
    batchMs,
    failedBatches,
    peakQueue,
    floodMs,
    drainMs,
    cpuMs: (used.user + used.system) / 1000,
  };
}

if (isEntryPoint(import.meta.url)) await childMain(flood);
