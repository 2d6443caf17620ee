// The log shipper's loop against the real local studio: a backlog of full batches ships back to
// back (the studio's answers are the only brake), not one batch set per log_flush_secs.
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_BATCH_MAX, LOG_QUEUE_CAP } from '../../../src/core/runtime/constants.js';
import type { TickContext } from '../../../src/core/runtime/context.js';
import { spawnLogShipper } from '../../../src/core/runtime/loops.js';
import type { StudioClient } from '../../../src/core/studio/client.js';
import type { Harness } from '../../helpers/harness.js';
import { startHarness } from '../../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const line = (i: number) => ({
  ts: '2026-01-01T00:00:00.000Z',
  level: 'info' as const,
  category: 'burst',
  message: `${i}`,
});

describe('spawnLogShipper', () => {
  it('ships a backlog left behind by a tick at once, without waiting log_flush_secs', async () => {
    h = await startHarness({ start: false });
    const ctx = h.worker.context;
    const real = ctx.studio();
    let calls = 0;
    let next = 0;
    const lateLines = 3 * LOG_BATCH_MAX; // arrive while the first tick ships: a full batch left
    // The real client, except that lines arrive while the first tick is halfway through its batches.
    const studio = Object.create(real) as StudioClient;
    studio.shipLogs = async (creds, entries) => {
      await real.shipLogs(creds, entries);
      calls += 1;
      if (calls === 5) for (let i = 0; i < lateLines; i += 1) ctx.logQueue.push(line(next++));
    };
    ctx.logQueue.take(LOG_QUEUE_CAP); // start from an empty queue: only the burst counts
    for (let i = 0; i < LOG_QUEUE_CAP; i += 1) ctx.logQueue.push(line(next++));
    // A 10-minute flush interval: a loop that waited it between ticks could never pass.
    const schedule = { ...ctx.schedule(), logFlushMs: 600_000 };
    const loopCtx: TickContext = { ...ctx, studio: () => studio, schedule: () => schedule };
    const loop = spawnLogShipper(loopCtx);
    try {
      // Real time: the loop's own ticks run over loopback HTTP; the deadline only bounds a failure.
      await expect
        .poll(() => h!.sim.logs().filter((l) => l.category === 'burst').length, { timeout: 10_000 })
        .toBe(LOG_QUEUE_CAP + lateLines);
    } finally {
      loop.stop();
      await loop.done;
    }
    const shipped = h.sim.logs().filter((l) => l.category === 'burst');
    expect(shipped.map((l) => Number(l.message))).toEqual([...Array(next).keys()]);
    expect(ctx.logQueue.dropped).toBe(0);
  });
});
