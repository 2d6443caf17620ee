// Rate-limits a stream of values to at most one send per interval, always sending the latest:
// the first value goes out at once, values arriving within the interval replace each other and
// the last one goes out when the interval ends. Snapshots change on every log line; the window,
// the web bridge's event stream and the tray only need a few per second, and the status file
// on disk fewer still. Its timer is the Clock port's, so a test advances time instead of waiting.
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';

/** How often a view of the worker (the window, the web page, the tray) is sent a new snapshot. */
export const SNAPSHOT_INTERVAL_MS = 200;

export interface Coalescer<T> {
  push(value: T): void;
  /** Sends a held value now (if any). */
  flush(): void;
  /** Drops a held value and stops the timer; later pushes are ignored. */
  dispose(): void;
}

export function createCoalescer<T>(opts: {
  intervalMs: number;
  send: (value: T) => void;
  clock?: Pick<Clock, 'now' | 'setTimer'>;
}): Coalescer<T> {
  const clock = opts.clock ?? systemClock;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let held: { value: T } | null = null;
  let cancelTimer: (() => void) | null = null;
  let disposed = false;

  const sendNow = (value: T) => {
    held = null;
    lastSentAt = clock.now();
    opts.send(value);
  };

  const onTimer = () => {
    cancelTimer = null;
    if (held) sendNow(held.value);
  };

  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = null;
  };

  return {
    push(value) {
      if (disposed) return;
      const wait = lastSentAt + opts.intervalMs - clock.now();
      if (wait <= 0 && cancelTimer === null) return sendNow(value);
      held = { value };
      if (cancelTimer === null) cancelTimer = clock.setTimer(onTimer, Math.max(0, wait));
    },
    flush() {
      stopTimer();
      if (held) sendNow(held.value);
    },
    dispose() {
      disposed = true;
      held = null;
      stopTimer();
    },
  };
}
