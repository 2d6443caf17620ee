// How long a loop waits before retrying a transient studio failure: exponential backoff with
// full jitter (so a fleet of workers does not retry in lockstep), never sooner than the
// studio's own `Retry-After`.

/** A `Retry-After` longer than this is treated as this: a studio must not park a worker for hours. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface BackoffInput {
  /** Failures so far in a row, starting at 0 for the first retry. */
  attempt: number;
  baseMs: number;
  maxMs: number;
  /** From the studio's `Retry-After`, when it sent one. */
  retryAfterMs?: number | undefined;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/** `random() * min(maxMs, baseMs * 2^attempt)`, raised to `retryAfterMs` (capped at 10 minutes). */
export function backoffDelayMs(input: BackoffInput): number {
  const { attempt, baseMs, maxMs, retryAfterMs, random = Math.random } = input;
  requireNonNegative('attempt', attempt);
  requireNonNegative('baseMs', baseMs);
  requireNonNegative('maxMs', maxMs);
  // 2^attempt overflows to Infinity for large attempts; min() then yields maxMs, as intended.
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return jittered;
  return Math.max(jittered, Math.min(Math.ceil(retryAfterMs), MAX_RETRY_AFTER_MS));
}

function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0)) {
    throw new RangeError(`backoff ${name} must be a number >= 0 (got ${value})`);
  }
}
