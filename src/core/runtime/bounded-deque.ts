// A fixed-capacity double-ended queue over a circular array. The log queue and the observers'
// log ring take one entry per log line and drop the oldest once full; with a plain array that
// drop is a splice of the head (O(n) per line at the cap). Here every push, drop and take is
// O(1) per entry, so a log burst costs the same whether the queue is empty or full.

export class BoundedDeque<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private length = 0;
  readonly cap: number;

  constructor(cap: number) {
    // A cap below one would make every push a drop; a fractional or NaN cap is a caller bug
    // that must not turn into an endless or empty buffer.
    if (!Number.isInteger(cap) || cap < 1) {
      throw new RangeError(`BoundedDeque capacity must be a whole number >= 1 (got ${cap})`);
    }
    this.cap = cap;
    this.slots = new Array<T | undefined>(cap);
  }

  get size(): number {
    return this.length;
  }

  /** Appends at the back; when full, the oldest (front) entry makes room. Returns 1 if one was dropped. */
  pushBack(item: T): number {
    if (this.length === this.cap) {
      this.slots[this.head] = item;
      this.head = (this.head + 1) % this.cap;
      return 1;
    }
    this.slots[(this.head + this.length) % this.cap] = item;
    this.length += 1;
    return 0;
  }

  /**
   * Puts an item in front of the oldest one. When full, the item itself is the oldest and is
   * the one dropped (as if inserted, then the front trimmed). Returns 1 if dropped.
   */
  pushFront(item: T): number {
    if (this.length === this.cap) return 1;
    this.head = (this.head + this.cap - 1) % this.cap;
    this.slots[this.head] = item;
    this.length += 1;
    return 0;
  }

  /** Removes and returns up to `max` entries from the front, oldest first. */
  shift(max: number): T[] {
    const wanted = Number.isNaN(max) ? 0 : Math.floor(max);
    const count = Math.max(0, Math.min(wanted, this.length));
    const out = new Array<T>(count);
    for (let i = 0; i < count; i += 1) {
      out[i] = this.slots[this.head] as T;
      this.slots[this.head] = undefined; // let the entry be collected
      this.head = (this.head + 1) % this.cap;
    }
    this.length -= count;
    return out;
  }

  /** A copy, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i += 1) out[i] = this.slots[(this.head + i) % this.cap] as T;
    return out;
  }
}
