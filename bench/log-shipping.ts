// Measurement 5, log shipping: 10,000 log lines a second for 10 s in a worker process with the
// default schedule — what reached the studio, what the queue dropped at its cap (and whether
// anything went missing uncounted), batch sizes and CPU — and, for contrast, a rate the shipper
// keeps up with, where nothing may be dropped at all.
import { rm } from 'node:fs/promises';
import { LOG_BATCH_MAX, LOG_QUEUE_CAP } from '../core/runtime/constants.js';
import { startStudioSim, type StudioSim } from '../studio-sim/index.js';
import type { FloodInput, FloodOutput } from './log-shipping-child.js';
import { FLOOD_CATEGORY } from './log-shipping-child.js';
import type { Measurement } from './measurement.js';
import { runChild } from './processes.js';
import { metric } from './results.js';
import { benchTempDir, registerWorker, writeBenchConfig } from './rig.js';
import { median } from './stats.js';

const FLOOD_RATE = 10_000;
const STEADY_RATE = 2_000;

/** One worker process flooding its logger; what it reports plus what the studio received. */
async function floodRun(sim: StudioSim, rate: number, seconds: number) {
  const dir = await benchTempDir();
  try {
    const store = await writeBenchConfig(dir, sim.url);
    const { workerId } = await registerWorker(store);
    const out = await runChild<FloodInput, FloodOutput>(
      'log-shipping-child.js',
      { configPath: store.path, rate, seconds },
      60_000 + seconds * 3_000,
    );
    const received = sim.logs(workerId).filter((l) => l.category === FLOOD_CATEGORY).length;
    const lost = out.produced - received - out.dropped;
    return { ...out, received, lost, wallMs: out.floodMs + out.drainMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const logShipping: Measurement = {
  id: 'log-shipping',
  title: `5. Log shipping (${FLOOD_RATE.toLocaleString('en')} lines/s for 10 s)`,
  async run({ quick, progress }) {
    const sim = await startStudioSim();
    try {
      const steadySeconds = quick ? 1 : 5;
      progress(`${STEADY_RATE} lines/s for ${steadySeconds} s`);
      const steady = await floodRun(sim, STEADY_RATE, steadySeconds);
      const floodSeconds = quick ? 1 : 10;
      progress(`${FLOOD_RATE} lines/s for ${floodSeconds} s`);
      const flood = await floodRun(sim, FLOOD_RATE, floodSeconds);
      const at = (rate: number) => `at ${rate.toLocaleString('en')}/s`;
      return {
        metrics: [
          metric(
            `lines missing without a drop count, ${at(FLOOD_RATE)}`,
            flood.lost,
            'lines',
            { op: '<=', value: 0 },
            `${flood.received} received + ${flood.dropped} counted as dropped of ${flood.produced}`,
          ),
          metric(`peak queue length, ${at(FLOOD_RATE)}`, flood.peakQueue, 'lines', {
            op: '<=',
            value: LOG_QUEUE_CAP,
          }),
          metric(
            `lines dropped at the queue cap, ${at(FLOOD_RATE)}`,
            flood.dropped / flood.produced,
            '×',
            undefined,
            `${flood.dropped} of ${flood.produced}: oldest first, with a "dropped N" marker`,
          ),
          metric(
            `lines reaching the studio per second, ${at(FLOOD_RATE)}`,
            (flood.received * 1000) / flood.wallMs,
            'lines/s',
          ),
          metric(`CPU, % of one core, ${at(FLOOD_RATE)}`, (flood.cpuMs / flood.wallMs) * 100, '%'),
          metric(
            'largest batch',
            Math.max(...flood.batches, ...steady.batches),
            'lines',
            { op: '<=', value: LOG_BATCH_MAX },
            `${flood.batches.length} batches at ${FLOOD_RATE}/s, round trip median ${median(flood.batchMs).toFixed(0)} ms`,
          ),
          metric(`lines dropped, ${at(STEADY_RATE)} (below the cap)`, steady.dropped, 'lines', {
            op: '<=',
            value: 0,
          }),
        ],
        details: Object.fromEntries(
          [
            ['flood', flood],
            ['steady', steady],
          ].map(([name, run]) => {
            const { batches, batchMs, ...rest } = run as typeof flood;
            return [
              name,
              {
                ...rest,
                batches: batches.length,
                shipped: batches.reduce((a, b) => a + b, 0),
                batchRoundTripMs: { median: median(batchMs), max: Math.max(...batchMs) },
              },
            ];
          }),
        ),
      };
    } finally {
      await sim.close();
    }
  },
};
