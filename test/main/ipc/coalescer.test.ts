import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../../src/main/ipc/coalescer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function collect(intervalMs = 200) {
  const sent: number[] = [];
  const c = createCoalescer<number>({ intervalMs, send: (v) => sent.push(v) });
  return { c, sent };
}

describe('createCoalescer', () => {
  it('sends the first value at once', () => {
    const { c, sent } = collect();
    c.push(1);
    expect(sent).toEqual([1]);
  });

  it('holds values arriving within the interval and sends only the latest when it ends', () => {
    const { c, sent } = collect();
    c.push(1);
    c.push(2);
    c.push(3);
    vi.advanceTimersByTime(199);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]);
  });

  it('sends at most one value per interval under a constant stream, always ending on the last', () => {
    const { c, sent } = collect();
    for (let i = 1; i <= 100; i += 1) {
      c.push(i);
      vi.advanceTimersByTime(10); // 100 values a second for one second
    }
    vi.advanceTimersByTime(1_000);
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)).toBe(100);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('sends at once again after a quiet interval', () => {
    const { c, sent } = collect();
    c.push(1);
    vi.advanceTimersByTime(500);
    c.push(2);
    expect(sent).toEqual([1, 2]);
  });

  it('flush sends a held value now; dispose drops it and ignores later pushes', () => {
    const { c, sent } = collect();
    c.push(1);
    c.push(2);
    c.flush();
    expect(sent).toEqual([1, 2]);
    c.push(3);
    c.dispose();
    c.push(4);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([1, 2]);
  });

  it('uses the clock it is given', () => {
    let now = 0;
    const timers: (() => void)[] = [];
    const sent: string[] = [];
    const c = createCoalescer<string>({
      intervalMs: 100,
      send: (v) => sent.push(v),
      clock: {
        now: () => now,
        setTimeout: (cb) => timers.push(cb),
        clearTimeout: () => undefined,
      },
    });
    c.push('a');
    c.push('b');
    expect(timers).toHaveLength(1);
    now = 100;
    timers[0]?.();
    expect(sent).toEqual(['a', 'b']);
  });
});
