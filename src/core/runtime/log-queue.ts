// The log shipping queue: bounded, drops the oldest entries on overflow and says so with an
// explicit "dropped N" marker, and takes failed batches back at the front. Backed by a circular
// buffer, so dropping the oldest line at the cap costs O(1), not a shift of the whole queue.
import type { LogEntry } from '../../shared/snapshot.js';
import { BoundedDeque } from './bounded-deque.js';
import { isoTime } from './clock.js';

export class LogQueue {
  private readonly entries: BoundedDeque<LogEntry>;
  private droppedSinceMarker = 0;
  private droppedTotal = 0;

  constructor(
    cap: number,
    private readonly now: () => number,
  ) {
    this.entries = new BoundedDeque(cap);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries dropped since the worker started. */
  get dropped(): number {
    return this.droppedTotal;
  }

  push(entry: LogEntry): void {
    this.countDropped(this.entries.pushBack(entry));
  }

  /** Takes up to `max` entries, oldest first; a pending drop marker leads the batch. */
  take(max: number): LogEntry[] {
    if (this.droppedSinceMarker > 0 && max >= 1) {
      const marker = this.dropMarker(this.droppedSinceMarker);
      this.droppedSinceMarker = 0;
      // The marker leads the batch; it takes no queue slot, so no line is dropped to make room.
      return [marker, ...this.entries.shift(max - 1)];
    }
    return this.entries.shift(max);
  }

  /** Puts a batch that failed to ship back at the front, keeping order. */
  requeue(batch: readonly LogEntry[]): void {
    // Last first, so the batch keeps its order; when the queue is full the batch's oldest
    // entries are the ones dropped, as for any overflow.
    let dropped = 0;
    for (let i = batch.length - 1; i >= 0; i -= 1) dropped += this.entries.pushFront(batch[i]!);
    this.countDropped(dropped);
  }

  private countDropped(count: number): void {
    this.droppedSinceMarker += count;
    this.droppedTotal += count;
  }

  private dropMarker(count: number): LogEntry {
    return {
      ts: isoTime(this.now()),
      level: 'warn',
      category: 'logs',
      message: `dropped ${count} log entries: the log queue was full (studio unreachable?)`,
    };
  }
}
