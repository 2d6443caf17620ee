// A Clock that only moves when the test says so. Sleeps and timers wait in a queue ordered by due
// time; `advance(ms)` moves time forward and fires what falls due, one at a time, letting the
// promises each one resolves run before the next fires. Tests therefore pass the same on a loaded
// machine as on an idle one, and "nothing happened for 10 s" costs no real time.
import type { Clock } from '../../src/core/runtime/clock.js';

interface Pending {
  due: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing every sleep and timer that falls due on the way. */
  advance(ms: number): Promise<void>;
  /** Moves time to the next pending sleep or timer and fires it; false when nothing waits. */
  next(): Promise<boolean>;
  /** Lets pending promise callbacks and I/O callbacks run without moving time. */
  settle(): Promise<void>;
  /** How many sleeps and timers are waiting. */
  pending(): number;
}

/** Lets promise chains (and callbacks queued with setImmediate) run to completion. */
async function drain(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export function manualClock(start = 0): ManualClock {
  let time = start;
  let seq = 0;
  const queue: Pending[] = [];

  const schedule = (ms: number, fire: () => void): Pending => {
    const entry: Pending = {
      due: time + (ms > 0 ? ms : 0),
      seq: (seq += 1),
      fire,
      cancelled: false,
    };
    queue.push(entry);
    queue.sort((a, b) => a.due - b.due || a.seq - b.seq);
    return entry;
  };
  const remove = (entry: Pending) => {
    entry.cancelled = true;
    const i = queue.indexOf(entry);
    if (i >= 0) queue.splice(i, 1);
  };
  const fireNext = async (limit: number): Promise<boolean> => {
    await drain();
    const entry = queue[0];
    if (entry === undefined || entry.due > limit) return false;
    queue.shift();
    time = Math.max(time, entry.due);
    entry.fire();
    await drain();
    return true;
  };

  return {
    now: () => time,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const onAbort = () => {
          remove(entry);
          resolve();
        };
        const entry = schedule(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    setTimer(callback, ms) {
      const entry = schedule(ms, callback);
      return () => remove(entry);
    },
    async advance(ms) {
      const target = time + ms;
      while (await fireNext(target)) {
        // each due entry fired in order
      }
      time = Math.max(time, target);
      await drain();
    },
    async next() {
      const entry = queue[0];
      return entry === undefined ? false : fireNext(entry.due);
    },
    settle: drain,
    pending: () => queue.length,
  };
}
