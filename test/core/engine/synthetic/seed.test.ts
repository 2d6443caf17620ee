import { describe, expect, it } from 'vitest';
import { createRandom, hash32, intBetween } from '../../../../src/core/engine/synthetic/seed.js';

describe('seed', () => {
  it('hashes the same text to the same 32-bit number', () => {
    expect(hash32('lighthouse')).toBe(hash32('lighthouse'));
    expect(hash32('lighthouse')).not.toBe(hash32('lighthouses'));
    expect(hash32('x')).toBeLessThan(2 ** 32);
  });

  it('draws the same sequence from the same seed', () => {
    const a = createRandom(99);
    const b = createRandom(99);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('draws integers within both bounds', () => {
    const random = createRandom(5);
    const drawn = Array.from({ length: 1000 }, () => intBetween(random, 2, 4));
    expect(new Set(drawn)).toEqual(new Set([2, 3, 4]));
  });
});
