import { describe, expect, it } from 'vitest';
import { createCoalescer, SNAPSHOT_INTERVAL_MS } from '../../../src/core/runtime/coalescer.js';
import { manualClock } from '../../helpers/manual-clock.js';

function collect(intervalMs = SNAPSHOT_INTERVAL_MS) {
  const clock = manualClock(1_000);
  const sent: number[] = [];
  const c = createCoalescer<number>({ intervalMs, send: (v) => sent.push(v), clock });
  return { c, sent, clock };
}

describe('createCoalescer', () => {
  it('sends the first value at once', () => {
    const { c, sent } = collect();
    c.push(1);
    expect(sent).toEqual([1]);
  });

  it('holds values arriving within the interval and sends only the latest when it ends', async () => {
    const { c, sent, clock } = collect(200);
    c.push(1);
    c.push(2);
    c.push(3);
    await clock.advance(199);
    expect(sent).toEqual([1]);
    await clock.advance(1);
    expect(sent).toEqual([1, 3]);
  });

  it('sends at most one value per interval under a constant stream, always ending on the last', async () => {
    const { c, sent, clock } = collect(200);
    for (let i = 1; i <= 100; i += 1) {
      c.push(i);
      await clock.advance(10); // 100 values a second for one second
    }
    await clock.advance(1_000);
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)).toBe(100);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('sends at once again after a quiet interval', async () => {
    const { c, sent, clock } = collect(200);
    c.push(1);
    await clock.advance(500);
    c.push(2);
    expect(sent).toEqual([1, 2]);
  });

  it('flush sends a held value now; dispose drops it, cancels its timer and ignores later pushes', async () => {
    const { c, sent, clock } = collect(200);
    c.push(1);
    c.push(2);
    c.flush();
    expect(sent).toEqual([1, 2]);
    c.push(3);
    expect(clock.pending()).toBe(1);
    c.dispose();
    expect(clock.pending()).toBe(0);
    c.push(4);
    await clock.advance(1_000);
    expect(sent).toEqual([1, 2]);
  });
});
