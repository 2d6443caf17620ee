import { describe, expect, it } from 'vitest';
import { redactorFor } from '../../../src/core/secrets/redact.js';

describe('redactorFor', () => {
  it('replaces every occurrence of each secret', () => {
    const redact = redactorFor(['abc123', 'zz9']);
    expect(redact('abc123 then zz9 then abc123')).toBe(
      '<redacted> then <redacted> then <redacted>',
    );
  });

  it('replaces a secret that contains another one whole', () => {
    const redact = redactorFor(['tok', 'tok-long']);
    expect(redact('x tok-long y')).toBe('x <redacted> y');
  });

  it('replaces the URL-encoded form of a secret', () => {
    const redact = redactorFor(['a b/c']);
    expect(redact('?t=a%20b%2Fc')).toBe('?t=<redacted>');
  });

  it('replaces the JSON-escaped form of a secret', () => {
    const redact = redactorFor(['q"uote']);
    expect(redact('{"t":"q\\"uote"}')).toBe('{"t":"<redacted>"}');
  });

  it('skips empty and undefined secrets', () => {
    const redact = redactorFor(['', undefined]);
    expect(redact('nothing to hide')).toBe('nothing to hide');
  });
});
