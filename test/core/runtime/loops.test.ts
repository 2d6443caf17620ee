import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnLoop } from '../../../src/core/runtime/loops.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { sleep, systemClock, timerDelay } from '../../../src/core/runtime/clock.js';
import { MAX_TIMER_MS } from '../../../src/shared/settings-rules.js';

const log = createLogger({ sinks: [], secrets: () => [], clock: systemClock });

describe('spawnLoop', () => {
  it('ends within moments when stopped during a 60 s wait', async () => {
    let ticks = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => ++ticks,
      delay: () => 60_000,
      isError: () => false,
      log,
    });
    await new Promise((r) => setTimeout(r, 20));
    const asked = Date.now();
    loop.stop();
    await loop.done;
    expect(Date.now() - asked).toBeLessThan(250);
    expect(ticks).toBe(1);
  });

  it('runs the next tick at once when woken', async () => {
    let ticks = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => ++ticks,
      delay: () => 60_000,
      isError: () => false,
      log,
    });
    await new Promise((r) => setTimeout(r, 20));
    loop.wake();
    await new Promise((r) => setTimeout(r, 20));
    loop.stop();
    await loop.done;
    expect(ticks).toBe(2);
  });

  it('passes the count of consecutive errors to the delay and resets it after a success', async () => {
    const outcomes = ['err', 'err', 'ok', 'err'];
    const seen: number[] = [];
    let i = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => outcomes[i++] ?? 'ok',
      delay: (_o, errors) => {
        seen.push(errors);
        return i >= outcomes.length ? 60_000 : 0;
      },
      isError: (o) => o === 'err',
      log,
    });
    await new Promise((r) => setTimeout(r, 50));
    loop.stop();
    await loop.done;
    expect(seen).toEqual([0, 1, 2, 0]);
  });

  it('keeps running after a tick throws, and logs it', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      sinks: [(e) => lines.push(e.message)],
      secrets: () => [],
      clock: systemClock,
    });
    let ticks = 0;
    const loop = spawnLoop({
      name: 'boom',
      tick: async () => {
        ticks += 1;
        throw new Error('bug');
      },
      delay: () => 0,
      isError: () => false,
      log: logger,
    });
    await new Promise((r) => setTimeout(r, 30));
    loop.stop();
    await loop.done;
    expect(ticks).toBe(1);
    expect(lines).toEqual(['boom tick failed unexpectedly: bug']);
  });
});

describe('a loop whose wait is 0', () => {
  it('lets timers and I/O run between its ticks', async () => {
    let ticks = 0;
    let ticksWhenOthersRan: number | undefined;
    setImmediate(() => (ticksWhenOthersRan = ticks));
    // Without a turn of the event loop between ticks the callback above would never run, nor a
    // SIGTERM handler: the cap keeps such a loop finite so the test can fail instead of hang.
    const loop = spawnLoop({
      name: 't',
      tick: async () => {
        ticks += 1;
        if (ticks >= 100) loop.stop();
        return ticks;
      },
      delay: () => 0,
      isError: () => false,
      log,
    });
    await loop.done;
    expect(ticksWhenOthersRan).toBeLessThanOrEqual(2);
  });

  it('ends when stopped from a timer', async () => {
    let ticks = 0;
    let stoppedBy = 'tick cap';
    const loop = spawnLoop({
      name: 't',
      tick: async () => {
        ticks += 1;
        if (ticks >= 20_000) loop.stop();
        return ticks;
      },
      delay: () => 0,
      isError: () => false,
      log,
    });
    setTimeout(() => {
      stoppedBy = 'timer';
      loop.stop();
    }, 5);
    await loop.done;
    expect(stoppedBy).toBe('timer');
  });
});

describe('sleep', () => {
  afterEach(() => vi.useRealTimers());

  it('waits no longer than a timer can (2^31 − 1 ms) and never fires early on a longer wait', async () => {
    vi.useFakeTimers();
    let woke = false;
    void sleep(2 ** 31, undefined).then(() => (woke = true));
    // Node (and the fake clock) run an overflowing timer after 1 ms.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(woke).toBe(true);
  });

  it('clamps waits to what a timer can hold', () => {
    expect(timerDelay(2 ** 31)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Infinity)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Number.NaN)).toBe(0);
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(250)).toBe(250);
  });

  it('ends at once when its signal aborts, also a zero wait', async () => {
    const stop = new AbortController();
    stop.abort();
    await sleep(0, stop.signal);
    await sleep(60_000, stop.signal);
  });
});
