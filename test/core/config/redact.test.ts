import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import { REDACTED, redactConfig, redactExtra } from '../../../src/core/config/redact.js';
import type { WorkerConfig } from '../../../src/core/config/types.js';

function registered(): WorkerConfig {
  return {
    ...defaultConfig(),
    bootstrap_token: 'boot-123',
    worker_id: 'w-1',
    auth_token: 'auth-456',
    engines: [{ kind: 'openai', api_key: 'sk-live', max_tokens: 512, nested: { password: 'pw' } }],
  };
}

describe('redactConfig', () => {
  it('hides the bootstrap and auth tokens', () => {
    const shown = redactConfig(registered());
    expect(shown.bootstrap_token).toBe(REDACTED);
    expect(shown.auth_token).toBe(REDACTED);
  });

  it('leaves an unset secret as null, so "not registered" stays visible', () => {
    expect(redactConfig(defaultConfig()).auth_token).toBeNull();
  });

  it('hides secret-looking keys at any depth of the engines tables but keeps max_tokens', () => {
    expect(redactConfig(registered()).engines).toEqual([
      { kind: 'openai', api_key: REDACTED, max_tokens: 512, nested: { password: REDACTED } },
    ]);
  });

  it('hides a password written into a URL', () => {
    const config = { ...defaultConfig(), api_base_url: 'https://ada:hunter2@studio.example.com/' };
    expect(redactConfig(config).api_base_url).toBe(`https://${REDACTED}@studio.example.com/`);
  });

  it('keeps the settings that are not secret', () => {
    const shown = redactConfig(registered());
    expect(shown.worker_id).toBe('w-1');
    expect(shown.schedule).toEqual(defaultConfig().schedule);
  });

  it('does not change the config it is given', () => {
    const config = registered();
    redactConfig(config);
    expect(config.auth_token).toBe('auth-456');
  });

  it('leaves no secret anywhere in the serialized result', () => {
    const text = JSON.stringify(redactConfig(registered()));
    for (const secret of ['boot-123', 'auth-456', 'sk-live', '"pw"']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('redactExtra', () => {
  it('hides secret-looking unknown keys, nested ones included', () => {
    const extra = { sentry_dsn_secret: 'x', proxy: { password: 'y', host: 'p' }, nickname: 'rig' };
    expect(redactExtra(extra)).toEqual({
      sentry_dsn_secret: REDACTED,
      proxy: { password: REDACTED, host: 'p' },
      nickname: 'rig',
    });
  });
});
