import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, backoffDelayMs } from '../../../src/core/studio/backoff.js';

const base = { baseMs: 1000, maxMs: 60_000 };
const almostOne = () => 0.999_999;

describe('backoffDelayMs', () => {
  it('is 0 when random() is 0 (full jitter starts at zero)', () => {
    expect(backoffDelayMs({ ...base, attempt: 5, random: () => 0 })).toBe(0);
  });

  it('doubles the ceiling with each attempt', () => {
    const ceilings = [0, 1, 2, 3].map((attempt) =>
      backoffDelayMs({ ...base, attempt, random: almostOne }),
    );
    expect(ceilings).toEqual([999, 1999, 3999, 7999]);
  });

  it('scales linearly with random() within the ceiling', () => {
    expect(backoffDelayMs({ ...base, attempt: 2, random: () => 0.5 })).toBe(2000);
  });

  it('never exceeds maxMs, even for huge attempts', () => {
    for (const attempt of [6, 10, 100, 5000]) {
      expect(backoffDelayMs({ ...base, attempt, random: almostOne })).toBeLessThan(60_000);
    }
  });

  it('stays within [0, ceiling) for Math.random', () => {
    for (let i = 0; i < 1000; i += 1) {
      const delay = backoffDelayMs({ ...base, attempt: 3 });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(8000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it('spreads delays over the whole range (jitter)', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs({ ...base, attempt: 3 }));
    expect(Math.min(...delays)).toBeLessThan(800);
    expect(Math.max(...delays)).toBeGreaterThan(7200);
  });

  it('waits at least retryAfterMs', () => {
    expect(backoffDelayMs({ ...base, attempt: 0, retryAfterMs: 7000, random: () => 0 })).toBe(7000);
  });

  it('keeps a jittered delay longer than retryAfterMs', () => {
    const delay = backoffDelayMs({ ...base, attempt: 5, retryAfterMs: 1000, random: () => 0.5 });
    expect(delay).toBe(16_000);
  });

  it('lets retryAfterMs exceed maxMs', () => {
    const delay = backoffDelayMs({ ...base, attempt: 0, retryAfterMs: 120_000, random: () => 0 });
    expect(delay).toBe(120_000);
  });

  it('caps retryAfterMs at 10 minutes', () => {
    const delay = backoffDelayMs({ ...base, attempt: 0, retryAfterMs: 86_400_000 });
    expect(delay).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(600_000);
  });

  it('ignores a retryAfterMs of 0', () => {
    expect(backoffDelayMs({ ...base, attempt: 1, retryAfterMs: 0, random: () => 0.5 })).toBe(1000);
  });

  it.each([
    ['attempt', { ...base, attempt: -1 }],
    ['baseMs', { baseMs: Number.NaN, maxMs: 1, attempt: 0 }],
    ['maxMs', { baseMs: 1, maxMs: -5, attempt: 0 }],
  ])('rejects a negative or NaN %s, naming it and its value', (name, input) => {
    expect(() => backoffDelayMs(input)).toThrow(
      new RegExp(`backoff ${name} must be a number >= 0 \\(got`),
    );
  });
});
