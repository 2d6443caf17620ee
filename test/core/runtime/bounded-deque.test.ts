import { describe, expect, it } from 'vitest';
import { BoundedDeque } from '../../../src/core/runtime/bounded-deque.js';

describe('BoundedDeque', () => {
  it('keeps the newest entries in order after wrapping around many times', () => {
    const d = new BoundedDeque<number>(4);
    let dropped = 0;
    for (let i = 0; i < 23; i += 1) dropped += d.pushBack(i);
    expect(dropped).toBe(19);
    expect(d.toArray()).toEqual([19, 20, 21, 22]);
    expect(d.shift(3)).toEqual([19, 20, 21]);
    d.pushBack(23);
    expect(d.toArray()).toEqual([22, 23]);
  });

  it('puts items in front of the oldest, and drops the pushed item itself when full', () => {
    const d = new BoundedDeque<string>(3);
    d.pushBack('c');
    expect(d.pushFront('b')).toBe(0);
    expect(d.pushFront('a')).toBe(0);
    expect(d.pushFront('z')).toBe(1);
    expect(d.toArray()).toEqual(['a', 'b', 'c']);
  });

  it('takes no more than it holds, and nothing for zero, negative or NaN counts', () => {
    const d = new BoundedDeque<number>(5);
    d.pushBack(1);
    d.pushBack(2);
    expect(d.shift(0)).toEqual([]);
    expect(d.shift(-3)).toEqual([]);
    expect(d.shift(Number.NaN)).toEqual([]);
    expect(d.shift(10)).toEqual([1, 2]);
    expect(d.size).toBe(0);
  });

  it('refuses a capacity that is not a whole number of at least one', () => {
    for (const cap of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(() => new BoundedDeque(cap)).toThrow(/capacity must be a whole number >= 1/);
    }
  });
});
