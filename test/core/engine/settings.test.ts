import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/core/engine/settings.js';

describe('parseSettings', () => {
  const schema = z.strictObject({ size: z.enum(['small', 'large']), count: z.number().optional() });

  it('returns the parsed value when it matches', () => {
    expect(parseSettings(schema, { size: 'small' }, 'engines[0]')).toEqual({ size: 'small' });
  });

  it('names the config path and the offending value of a bad setting', () => {
    expect(() => parseSettings(schema, { size: 'huge' }, 'engines[2]')).toThrow(
      /^engines\[2\]\.size: .* \(got "huge"\) — fix engines\[2\] in config\.toml$/,
    );
  });

  it('lists every problem in one message', () => {
    expect(() => parseSettings(schema, { count: 'x', extra: 1 }, 'engines[0]')).toThrow(
      /engines\[0\]\.size: .*; engines\[0\]\.count: .*; engines\[0\]: .*"extra"/,
    );
  });

  it('names a bad secret-looking key without echoing its value', () => {
    const secrets = z.strictObject({ api_key: z.string().max(4) });
    expect(() => parseSettings(secrets, { api_key: 'sk-long-secret' }, 'engines[0]')).toThrow(
      /^engines\[0\]\.api_key: .* \(got "<redacted>"\) — fix engines\[0\] in config\.toml$/,
    );
  });
});
