import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../../src/core/runtime/retry.js';
import { retry, studioRetryPolicy } from '../../../src/core/runtime/retry.js';
import { scheduleFromConfig } from '../../../src/core/runtime/schedule.js';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import { StudioError } from '../../../src/core/studio/errors.js';
import { manualClock } from '../../helpers/manual-clock.js';

const transient = (retryAfterMs?: number) =>
  new StudioError({
    op: 'complete',
    kind: 'http',
    status: 503,
    message: 'studio answered 503',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
const permanent = () =>
  new StudioError({ op: 'complete', kind: 'http', status: 400, message: 'bad request' });
const stopped = () => new StudioError({ op: 'complete', kind: 'stopped', message: 'stopped' });

/** An op that fails with `errors` in turn, then succeeds; records when each try ran. */
function scripted(clock: { now(): number }, errors: Error[]) {
  const triedAt: number[] = [];
  const op = async () => {
    triedAt.push(clock.now());
    const error = errors.shift();
    if (error) throw error;
    return 'done';
  };
  return { op, triedAt };
}

function policy(clock: ReturnType<typeof manualClock>, attempts: number): RetryPolicy {
  return {
    attempts,
    retryable: (e) => e instanceof StudioError && e.transient,
    delayMs: (attempt) => 1_000 * (attempt + 1),
    clock,
  };
}

describe('retry', () => {
  it('tries again after each transient failure, waiting the policy delay on the clock', async () => {
    const clock = manualClock();
    const { op, triedAt } = scripted(clock, [transient(), transient()]);
    const result = retry(op, policy(clock, 5));
    await clock.advance(999);
    expect(triedAt).toEqual([0]);
    await clock.advance(10_000);
    await expect(result).resolves.toBe('done');
    expect(triedAt).toEqual([0, 1_000, 3_000]);
  });

  it('throws the last error once the attempts are used up', async () => {
    const clock = manualClock();
    const last = transient();
    const { op, triedAt } = scripted(clock, [transient(), transient(), last]);
    const result = retry(op, policy(clock, 3));
    const settled = result.catch((e: unknown) => e);
    await clock.advance(60_000);
    expect(await settled).toBe(last);
    expect(triedAt).toHaveLength(3);
  });

  it('does not retry an error the policy calls permanent', async () => {
    const clock = manualClock();
    const error = permanent();
    const { op, triedAt } = scripted(clock, [error]);
    await expect(retry(op, policy(clock, 5))).rejects.toBe(error);
    expect(triedAt).toEqual([0]);
    expect(clock.pending()).toBe(0);
  });

  it('ends the wait at once when the signal aborts, and throws the error before it', async () => {
    const clock = manualClock();
    const stop = new AbortController();
    const error = transient();
    const { op, triedAt } = scripted(clock, [error]);
    const settled = retry(op, policy(clock, 5), stop.signal).catch((e: unknown) => e);
    await clock.settle();
    expect(clock.pending()).toBe(1);
    stop.abort();
    expect(await settled).toBe(error);
    expect(triedAt).toEqual([0]);
    expect(clock.now()).toBe(0);
  });

  it('keeps trying with Infinity attempts until it works', async () => {
    const clock = manualClock();
    const { op, triedAt } = scripted(
      clock,
      Array.from({ length: 20 }, () => transient()),
    );
    const result = retry(op, { ...policy(clock, Infinity), delayMs: () => 1 });
    await clock.advance(100);
    await expect(result).resolves.toBe('done');
    expect(triedAt).toHaveLength(21);
  });

  it('tells onRetry about each failure it will try again', async () => {
    const clock = manualClock();
    const { op } = scripted(clock, [transient(), transient()]);
    const told: number[] = [];
    const result = retry(op, { ...policy(clock, 5), onRetry: (_e, attempt) => told.push(attempt) });
    await clock.advance(10_000);
    await result;
    expect(told).toEqual([0, 1]);
  });
});

describe('studioRetryPolicy', () => {
  const schedule = scheduleFromConfig(defaultConfig());
  const deps = (clock: ReturnType<typeof manualClock>) => ({
    schedule: () => schedule,
    random: () => 0,
    clock,
  });

  it('retries transient studio errors, not permanent ones, a stop, or other errors', () => {
    const p = studioRetryPolicy(deps(manualClock()), 4);
    expect(p.retryable(transient())).toBe(true);
    expect(p.retryable(permanent())).toBe(false);
    expect(p.retryable(stopped())).toBe(false);
    expect(p.retryable(new Error('bug'))).toBe(false);
  });

  it("never tries again sooner than the studio's Retry-After", async () => {
    const clock = manualClock();
    const { op, triedAt } = scripted(clock, [transient(30_000)]);
    const result = retry(op, studioRetryPolicy(deps(clock), 4));
    await clock.advance(29_999);
    expect(triedAt).toEqual([0]);
    await clock.advance(1);
    await expect(result).resolves.toBe('done');
    expect(triedAt).toEqual([0, 30_000]);
  });

  it('backs off with the schedule (full jitter: random 0 retries at once)', async () => {
    const clock = manualClock();
    const { op, triedAt } = scripted(clock, [transient(), transient()]);
    await clock.settle();
    const result = retry(op, studioRetryPolicy(deps(clock), 4));
    await clock.advance(0);
    await expect(result).resolves.toBe('done');
    expect(triedAt).toEqual([0, 0, 0]);
  });
});
