import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/errors/message.js';

describe('errorMessage', () => {
  it("is an Error's message", () => {
    expect(errorMessage(new RangeError('vram_threshold_gb must be >= 0 (got -1)'))).toBe(
      'vram_threshold_gb must be >= 0 (got -1)',
    );
  });

  it('names an Error that has no message instead of saying nothing', () => {
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
  });

  it('turns anything else thrown into text', () => {
    expect(errorMessage('disk full')).toBe('disk full');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
