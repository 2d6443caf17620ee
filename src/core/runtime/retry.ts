// One retry loop for every call that is tried again after a transient failure (result uploads,
// failure reports, registration). The waits go through the Clock port, so a test advances a manual
// clock instead of sleeping, and a stop signal cuts the wait between two tries.
import { StudioError } from '../studio/errors.js';
import type { Clock } from './clock.js';
import type { LoopSchedule } from './schedule.js';
import { backoffFor } from './schedule.js';

export interface RetryPolicy {
  /** Tries in all, the first included; Infinity keeps trying until the signal aborts. */
  attempts: number;
  /** Whether `error` is worth another try. */
  retryable(error: unknown): boolean;
  /** The wait before retry number `attempt` (0-based) after `error`. */
  delayMs(attempt: number, error: unknown): number;
  /** Told about each failure that will be tried again, before the wait. */
  onRetry?(error: unknown, attempt: number): void;
  clock: Pick<Clock, 'sleep'>;
}

/**
 * Runs `op` until it succeeds, fails with an error the policy does not retry, runs out of
 * attempts, or `signal` aborts; then the last error is thrown. The first try always runs; an
 * abort during a wait ends the wait at once and throws the error that preceded it.
 */
export async function retry<T>(
  op: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await op(attempt);
    } catch (error) {
      if (!policy.retryable(error) || attempt + 1 >= policy.attempts || signal?.aborted) {
        throw error;
      }
      policy.onRetry?.(error, attempt);
      await policy.clock.sleep(policy.delayMs(attempt, error), signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** What a studio retry policy needs from the worker. */
export interface StudioRetryDeps {
  schedule: () => LoopSchedule;
  random: () => number;
  clock: Pick<Clock, 'sleep'>;
}

/**
 * Retries a studio call that failed transiently, with the schedule's full-jitter backoff and never
 * sooner than the studio's `Retry-After`. A call the stop cut short (`stopped`) is not tried again
 * in this run: the next start does it.
 */
export function studioRetryPolicy(
  deps: StudioRetryDeps,
  attempts: number,
  onRetry?: (error: StudioError) => void,
): RetryPolicy {
  return {
    attempts,
    retryable: (error) =>
      error instanceof StudioError && error.transient && error.kind !== 'stopped',
    delayMs: (attempt, error) =>
      backoffFor(
        deps.schedule(),
        attempt,
        deps.random,
        error instanceof StudioError ? error.retryAfterMs : undefined,
      ),
    ...(onRetry ? { onRetry: (error: unknown) => onRetry(error as StudioError) } : {}),
    clock: deps.clock,
  };
}
