import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnLoop } from '../../../src/core/runtime/loops.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { systemClock, timerDelay } from '../../../src/core/runtime/clock.js';
import { delayAfterThrow, scheduleFromConfig } from '../../../src/core/runtime/schedule.js';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { MAX_TIMER_MS } from '../../../src/shared/settings-rules.js';

const log = createLogger({ sinks: [], secrets: () => [], clock: systemClock });

const noThrowBackoff = () => 0;

describe('spawnLoop', () => {
  it('ends at once when stopped during a 60 s wait', async () => {
    const clock = manualClock();
    let ticks = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => ++ticks,
      delay: () => 60_000,
      isError: () => false,
      log,
      clock,
      afterThrow: noThrowBackoff,
    });
    await clock.settle();
    expect(clock.pending()).toBe(1);
    loop.stop();
    // No time passes: the stop alone ends the wait.
    await loop.done;
    expect(clock.now()).toBe(0);
    expect(ticks).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('waits the delay between ticks, and runs the next tick at once when woken', async () => {
    const clock = manualClock();
    let ticks = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => ++ticks,
      delay: () => 60_000,
      isError: () => false,
      log,
      clock,
      afterThrow: noThrowBackoff,
    });
    await clock.advance(59_999);
    expect(ticks).toBe(1);
    await clock.advance(1);
    expect(ticks).toBe(2);
    loop.wake();
    await clock.settle();
    expect(ticks).toBe(3);
    expect(clock.now()).toBe(60_000);
    loop.stop();
    await loop.done;
  });

  it('passes the count of consecutive errors to the delay and resets it after a success', async () => {
    const clock = manualClock();
    const outcomes = ['err', 'err', 'ok', 'err'];
    const seen: number[] = [];
    let i = 0;
    const loop = spawnLoop({
      name: 't',
      tick: async () => outcomes[i++] ?? 'ok',
      delay: (_o, errors) => {
        seen.push(errors);
        return 1_000;
      },
      isError: (o) => o === 'err',
      log,
      clock,
      afterThrow: noThrowBackoff,
    });
    await clock.advance(3_000);
    loop.stop();
    await loop.done;
    expect(seen).toEqual([0, 1, 2, 0]);
  });

  it('keeps running after a tick throws, logs it, and backs off longer while it keeps throwing', async () => {
    const clock = manualClock();
    const lines: string[] = [];
    const logger = createLogger({
      sinks: [(e) => lines.push(e.message)],
      secrets: () => [],
      clock,
    });
    const throwsSeen: number[] = [];
    let ticks = 0;
    const loop = spawnLoop({
      name: 'boom',
      tick: async () => {
        ticks += 1;
        if (ticks <= 3) throw new Error('bug');
        return ticks;
      },
      delay: () => 60_000,
      isError: () => false,
      log: logger,
      clock,
      afterThrow: (throws) => {
        throwsSeen.push(throws);
        return 5_000 * 2 ** throws;
      },
    });
    await clock.advance(4_999);
    expect(ticks).toBe(1);
    await clock.advance(1);
    expect(ticks).toBe(2);
    await clock.advance(10_000);
    expect(ticks).toBe(3);
    await clock.advance(20_000);
    // The fourth tick succeeds: the loop is back on its normal delay.
    expect(ticks).toBe(4);
    expect(clock.now()).toBe(35_000);
    await clock.advance(60_000);
    expect(ticks).toBe(5);
    loop.stop();
    await loop.done;
    expect(throwsSeen).toEqual([0, 1, 2]);
    expect(lines).toEqual(Array(3).fill('boom tick failed unexpectedly: bug'));
  });
});

describe('delayAfterThrow', () => {
  const schedule = scheduleFromConfig(defaultConfig());

  it('is never shorter than the backoff base, even when the jitter draws 0', () => {
    expect(delayAfterThrow(schedule, 0, () => 0)).toBe(schedule.backoffBaseMs);
  });

  it('grows with the throws in a row up to the backoff ceiling', () => {
    const top = () => 0.999_999;
    expect(delayAfterThrow(schedule, 3, top)).toBeGreaterThan(delayAfterThrow(schedule, 1, top));
    expect(delayAfterThrow(schedule, 60, top)).toBeLessThanOrEqual(schedule.backoffMaxMs);
  });
});

// These run on the system clock: what they check is how a zero wait yields to Node's event loop.
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
      clock: systemClock,
      afterThrow: noThrowBackoff,
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
      clock: systemClock,
      afterThrow: noThrowBackoff,
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
    void systemClock.sleep(2 ** 31, undefined).then(() => (woke = true));
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
    await systemClock.sleep(0, stop.signal);
    await systemClock.sleep(60_000, stop.signal);
  });
});
