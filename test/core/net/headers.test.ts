import { describe, expect, it } from 'vitest';
import { firstHeader } from '../../../src/core/net/headers.js';

describe('firstHeader', () => {
  it('reads a single header, the first of a repeated one, and nothing when absent', () => {
    expect(firstHeader('application/json')).toBe('application/json');
    expect(firstHeader(['text/plain', 'text/html'])).toBe('text/plain');
    expect(firstHeader([])).toBeUndefined();
    expect(firstHeader(undefined)).toBeUndefined();
  });
});
