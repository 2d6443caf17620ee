// The Clock port: the time, a stop-aware sleep and a cancellable timer. Every wait in core and
// main goes through it, so a test hands in a manual clock and advances time instead of sleeping.
import { MAX_TIMER_MS } from '../../shared/settings-rules.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `callback` once after `ms`; the returned function cancels it. A pending timer never
   * keeps the process alive on its own (it is a deadline or a wake-up, not work).
   */
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
  setTimer: (callback, ms) => {
    const handle = setTimeout(callback, timerDelay(ms));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * Resolves after `ms`, or as soon as `signal` aborts (never rejects). Even a wait of 0 (or NaN)
 * goes round the event loop once, so a loop built on it can never starve timers, I/O or a
 * SIGTERM handler; a wait past Node's timer limit is cut to it instead of firing after 1 ms.
 */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wait = timerDelay(ms);
    let cancel: () => void;
    const done = () => {
      cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    if (wait === 0) {
      const handle = setImmediate(done);
      cancel = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(done, wait);
      cancel = () => clearTimeout(handle);
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** What a timer can actually wait: 0 … MAX_TIMER_MS, with NaN and negatives as 0. */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
