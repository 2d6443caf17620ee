// Rate-limits a stream of values to at most one send per interval, always sending the latest:
// the first value goes out at once, values arriving within the interval replace each other and
// the last one goes out when the interval ends. Snapshots change on every log line; the window
// (and the tray) only need a few per second.

export interface CoalescerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

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
  clock?: CoalescerClock;
}): Coalescer<T> {
  const clock = opts.clock ?? systemClock;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let held: { value: T } | null = null;
  let timer: unknown = null;
  let disposed = false;

  const sendNow = (value: T) => {
    held = null;
    lastSentAt = clock.now();
    opts.send(value);
  };

  const onTimer = () => {
    timer = null;
    if (held) sendNow(held.value);
  };

  return {
    push(value) {
      if (disposed) return;
      const wait = lastSentAt + opts.intervalMs - clock.now();
      if (wait <= 0 && timer === null) return sendNow(value);
      held = { value };
      if (timer === null) timer = clock.setTimeout(onTimer, Math.max(0, wait));
    },
    flush() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      if (held) sendNow(held.value);
    },
    dispose() {
      disposed = true;
      held = null;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
