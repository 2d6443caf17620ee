import { describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  DEFAULT_CONFIG,
  DEFAULT_SCHEDULE,
  SCHEDULE_KEYS,
} from '../../../src/core/config/defaults.js';
import { configFromEnv, envNameOf } from '../../../src/core/config/env.js';

const noFiles = (file: string): string => {
  throw new Error(`ENOENT: no such file ${file}`);
};
const read = (env: Record<string, string>, files: Record<string, string> = {}) =>
  configFromEnv({
    env,
    readFile: (file) => files[file] ?? noFiles(file),
  });

describe('settings from STUDIO_WORKER_* variables', () => {
  it('types each value by its key: numbers, booleans, strings, lists, [schedule] keys', () => {
    const result = read({
      STUDIO_WORKER_API_BASE_URL: 'https://studio.example.com',
      STUDIO_WORKER_VRAM_THRESHOLD_GB: '20.5',
      STUDIO_WORKER_AUTO_UPDATE_ENABLED: 'false',
      STUDIO_WORKER_ALLOWED_HOURS: 'mon-fri 18:00-08:00, sat 00:00-23:59',
      STUDIO_WORKER_ENGINES: '[{"engine":"synthetic","delay_ms":5}]',
      STUDIO_WORKER_SCHEDULE_HEARTBEAT_SECS: '7',
      STUDIO_WORKER_METRICS_LISTEN: '0.0.0.0:9464',
    });
    expect(result).toMatchObject({
      kind: 'ok',
      patch: {
        api_base_url: 'https://studio.example.com',
        vram_threshold_gb: 20.5,
        auto_update_enabled: false,
        allowed_hours: ['mon-fri 18:00-08:00', 'sat 00:00-23:59'],
        engines: [{ engine: 'synthetic', delay_ms: 5 }],
        schedule: { heartbeat_secs: 7 },
        metrics_listen: '0.0.0.0:9464',
      },
      sources: { 'schedule.heartbeat_secs': 'STUDIO_WORKER_SCHEDULE_HEARTBEAT_SECS' },
    });
  });

  it('reads a variable for every config key and [schedule] key', () => {
    const env: Record<string, string> = {};
    const asText = (value: unknown) =>
      value === null ? '' : Array.isArray(value) ? JSON.stringify(value) : String(value);
    for (const key of CONFIG_KEYS) {
      if (key !== 'schedule') env[envNameOf(key)] = asText(DEFAULT_CONFIG[key]);
    }
    for (const key of SCHEDULE_KEYS) {
      env[envNameOf(`schedule.${key}`)] = asText(DEFAULT_SCHEDULE[key]);
    }
    const result = read(env);
    if (result.kind !== 'ok') throw new Error(result.message);
    const expected = Object.keys(env).length;
    expect(Object.keys(result.sources)).toHaveLength(expected);
    expect(result.sources).toMatchObject({
      bootstrap_token: 'STUDIO_WORKER_BOOTSTRAP_TOKEN',
      'schedule.backoff_max_secs': 'STUDIO_WORKER_SCHEDULE_BACKOFF_MAX_SECS',
    });
  });

  it('reads a secret from a _FILE variable without its trailing newline', () => {
    const result = read(
      { STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE: '/run/secrets/token' },
      { '/run/secrets/token': 's3cret-token\n' },
    );
    expect(result).toMatchObject({
      kind: 'ok',
      patch: { bootstrap_token: 's3cret-token' },
      secrets: ['s3cret-token'],
      sources: { bootstrap_token: 'STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE' },
    });
  });

  it('refuses a variable set both directly and as _FILE', () => {
    const result = read(
      { STUDIO_WORKER_BOOTSTRAP_TOKEN: 'a', STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE: '/x' },
      { '/x': 'b' },
    );
    expect(result).toEqual({
      kind: 'invalid',
      message:
        'both STUDIO_WORKER_BOOTSTRAP_TOKEN and STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE are set — keep one of them',
    });
  });

  it('names the variable and the file when a _FILE cannot be read', () => {
    const result = read({ STUDIO_WORKER_AUTH_TOKEN_FILE: '/run/secrets/missing' });
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') {
      expect(result.message).toMatch(
        /^STUDIO_WORKER_AUTH_TOKEN_FILE: could not read \/run\/secrets\/missing/,
      );
    }
  });

  it('refuses hostile values with the variable and the rule: NaN, negative, not a boolean', () => {
    expect(read({ STUDIO_WORKER_VRAM_THRESHOLD_GB: 'NaN' })).toEqual({
      kind: 'invalid',
      message: 'STUDIO_WORKER_VRAM_THRESHOLD_GB: vram_threshold_gb must be a number (got "NaN")',
    });
    expect(read({ STUDIO_WORKER_JOB_TIMEOUT_SECS: '-5' })).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(
        /^STUDIO_WORKER_JOB_TIMEOUT_SECS: job_timeout_secs must be from 10 to 86400 \(got -5\)$/,
      ),
    });
    expect(read({ STUDIO_WORKER_AUTO_START: 'maybe' })).toMatchObject({
      kind: 'invalid',
      message: 'STUDIO_WORKER_AUTO_START: auto_start must be true or false (got "maybe")',
    });
    expect(read({ STUDIO_WORKER_METRICS_LISTEN: '0.0.0.0:99999' })).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('STUDIO_WORKER_METRICS_LISTEN: metrics_listen must be'),
    });
  });

  it('never echoes a secret in its complaint', () => {
    const result = read({ STUDIO_WORKER_AUTH_TOKEN: '   ' });
    expect(result.kind).toBe('ok'); // blank = none (the key is optional)
    for (const engines of ['[{"api_key":"sk-very-secret"}', '["sk-very-secret"]']) {
      const bad = read({ STUDIO_WORKER_ENGINES: engines });
      expect(bad.kind).toBe('invalid');
      if (bad.kind === 'invalid') {
        expect(bad.message).toMatch(/^STUDIO_WORKER_ENGINES: engines must be a JSON list/);
        expect(bad.message).not.toContain('sk-very-secret');
      }
    }
  });

  it('ignores variables that name no key, such as the ones Kubernetes injects for a Service', () => {
    const result = read({
      STUDIO_WORKER_SERVICE_HOST: '10.0.0.1',
      STUDIO_WORKER_PORT: 'tcp://10.0.0.1:9464',
      STUDIO_WORKER_CONFIG: '/etc/studio-worker/config.toml',
    });
    expect(result).toEqual({ kind: 'ok', patch: {}, sources: {}, secrets: [] });
  });
});
