import { describe, expect, it } from 'vitest';
import { spawnLoop } from '../../../src/core/runtime/loops.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { systemClock } from '../../../src/core/runtime/clock.js';

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
