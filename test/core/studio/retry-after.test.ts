import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/core/studio/retry-after.js';

const now = Date.parse('2026-05-16T00:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP date as the milliseconds until it', () => {
    expect(parseRetryAfter('Sat, 16 May 2026 00:00:30 GMT', now)).toBe(30_000);
  });

  it('reads a past HTTP date as 0', () => {
    expect(parseRetryAfter('Fri, 15 May 2026 23:00:00 GMT', now)).toBe(0);
  });

  it('uses the first of repeated headers', () => {
    expect(parseRetryAfter(['5', '9'], now)).toBe(5000);
  });

  it('ignores surrounding whitespace', () => {
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
  });

  it.each([undefined, '', 'soon', '-5', '1.5', '12abc'])('returns undefined for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
