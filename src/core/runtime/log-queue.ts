// The log shipping queue: bounded, drops the oldest entries on overflow and says so with an
// explicit "dropped N" marker, and takes failed batches back at the front.
import type { LogEntry } from '../../shared/snapshot.js';
import { isoTime } from './clock.js';

export class LogQueue {
  private entries: LogEntry[] = [];
  private droppedSinceMarker = 0;
  private droppedTotal = 0;

  constructor(
    private readonly cap: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** Entries dropped since the worker started. */
  get dropped(): number {
    return this.droppedTotal;
  }

  push(entry: LogEntry): void {
    this.entries.push(entry);
    this.trim();
  }

  /** Takes up to `max` entries, oldest first; a pending drop marker leads the batch. */
  take(max: number): LogEntry[] {
    if (this.droppedSinceMarker > 0) {
      this.entries.unshift(this.dropMarker(this.droppedSinceMarker));
      this.droppedSinceMarker = 0;
    }
    return this.entries.splice(0, max);
  }

  /** Puts a batch that failed to ship back at the front, keeping order. */
  requeue(batch: readonly LogEntry[]): void {
    this.entries.unshift(...batch);
    this.trim();
  }

  private trim(): void {
    const excess = this.entries.length - this.cap;
    if (excess <= 0) return;
    this.entries.splice(0, excess);
    this.droppedSinceMarker += excess;
    this.droppedTotal += excess;
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
