// The manual clock the runtime tests drive time with: it must fire exactly what falls due.
import { describe, expect, it } from 'vitest';
import { manualClock } from './manual-clock.js';

describe('manualClock', () => {
  it('resolves a sleep only once time has been advanced past it', async () => {
    const clock = manualClock();
    let woke = false;
    void clock.sleep(1_000).then(() => (woke = true));
    await clock.advance(999);
    expect(woke).toBe(false);
    await clock.advance(1);
    expect(woke).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it('fires timers in due order, letting each one schedule the next', async () => {
    const clock = manualClock();
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 20);
    clock.setTimer(() => {
      fired.push('a');
      clock.setTimer(() => fired.push('a+5'), 5);
    }, 10);
    await clock.advance(30);
    expect(fired).toEqual(['a', 'a+5', 'b']);
  });

  it('ends a sleep at once when its signal aborts, and forgets a cancelled timer', async () => {
    const clock = manualClock();
    const stop = new AbortController();
    const slept = clock.sleep(60_000, stop.signal);
    const cancel = clock.setTimer(() => {
      throw new Error('cancelled timer fired');
    }, 5);
    cancel();
    stop.abort();
    await slept;
    expect(clock.pending()).toBe(0);
    await clock.advance(10);
  });
});
