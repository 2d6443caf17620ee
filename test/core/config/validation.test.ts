import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { parseConfig } from '../../../src/core/config/toml.js';
import {
  applyConfigPatch,
  validateConfig,
  validateConfigPatch,
} from '../../../src/core/config/validation.js';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import { DURATION_BOUNDS, SCHEDULE_BOUNDS } from '../../../src/core/config/bounds.js';
import { MAX_TIMER_MS } from '../../../src/shared/settings-rules.js';

const FILE = '/x/config.toml';

/** A file whose 4th line is `line`: at the top level, or inside [schedule]. */
function fileWith(line: string, table?: string): string {
  return table === undefined
    ? `# my worker\nlabel = "bench"\n\n${line}\n`
    : `# my worker\n[${table}]\nnote = "fast"\n${line}\n`;
}

function parseError(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw a ConfigError');
}

// [TOML line, key, message after "<file> line 4: "]
const TOP_LEVEL_RULES: [string, string, string][] = [
  [
    'api_base_url = "ftp://studio"',
    'api_base_url',
    'api_base_url must be an http:// or https:// URL (got "ftp://studio")',
  ],
  ['api_base_url = 9790', 'api_base_url', 'api_base_url must be a string (got 9790)'],
  ['bootstrap_token = 12345', 'bootstrap_token', 'bootstrap_token must be a string (got a number)'],
  ['worker_id = 7', 'worker_id', 'worker_id must be a string, or left out for none (got 7)'],
  [
    'auth_token = true',
    'auth_token',
    'auth_token must be a string, or left out for none (got a boolean)',
  ],
  ['vram_threshold_gb = -1', 'vram_threshold_gb', 'vram_threshold_gb must be >= 0 (got -1)'],
  [
    'vram_threshold_gb = "12"',
    'vram_threshold_gb',
    'vram_threshold_gb must be a number (got "12")',
  ],
  ['vram_threshold_gb = nan', 'vram_threshold_gb', 'vram_threshold_gb must be a number (got NaN)'],
  [
    'vram_safety_margin_gb = -0.5',
    'vram_safety_margin_gb',
    'vram_safety_margin_gb must be >= 0 (got -0.5)',
  ],
  ['vram_min_free_gb = "2"', 'vram_min_free_gb', 'vram_min_free_gb must be a number (got "2")'],
  ['auto_start = 1', 'auto_start', 'auto_start must be true or false (got 1)'],
  ['auto_enabled = "yes"', 'auto_enabled', 'auto_enabled must be true or false (got "yes")'],
  ['engine = ""', 'engine', 'engine must name an engine, e.g. "synthetic" (got "")'],
  ['engine = ["synthetic"]', 'engine', 'engine must be a string (got ["synthetic"])'],
  [
    'engines = "openai"',
    'engines',
    'engines must be a list of tables, one [[engines]] section each (got "openai")',
  ],
  ['engines = [1]', 'engines.0', 'engines.0 must be a table (got 1)'],
  [
    'supported_models_override = "sdxl"',
    'supported_models_override',
    'supported_models_override must be a list of model ids (got "sdxl")',
  ],
  [
    'supported_models_override = ["sdxl", 2]',
    'supported_models_override.1',
    'supported_models_override.1 must be a string (got 2)',
  ],
  [
    'auto_update_enabled = "no"',
    'auto_update_enabled',
    'auto_update_enabled must be true or false (got "no")',
  ],
  [
    'auto_update_interval_secs = 59',
    'auto_update_interval_secs',
    'auto_update_interval_secs must be from 60 to 604800 (got 59)',
  ],
  [
    'auto_update_feed = "releases.json"',
    'auto_update_feed',
    'auto_update_feed must be an http:// or https:// URL (got "releases.json")',
  ],
  [
    'auto_update_prerelease = 0',
    'auto_update_prerelease',
    'auto_update_prerelease must be true or false (got 0)',
  ],
  ['models_root = 5', 'models_root', 'models_root must be a string, or left out for none (got 5)'],
  [
    'shutdown_grace_secs = -0.5',
    'shutdown_grace_secs',
    'shutdown_grace_secs must be from 0 to 3600 (got -0.5)',
  ],
  [
    'spool_dir = false',
    'spool_dir',
    'spool_dir must be a string, or left out for none (got false)',
  ],
  ['schedule = 5', 'schedule', 'schedule must be a table (got 5)'],
  [
    'job_timeout_secs = 3000000',
    'job_timeout_secs',
    'job_timeout_secs must be from 10 to 86400 (got 3000000)',
  ],
  [
    'job_timeout_secs = 1e10',
    'job_timeout_secs',
    'job_timeout_secs must be from 10 to 86400 (got 10000000000)',
  ],
  ['job_timeout_secs = 0', 'job_timeout_secs', 'job_timeout_secs must be from 10 to 86400 (got 0)'],
  [
    'request_timeout_secs = 0',
    'request_timeout_secs',
    'request_timeout_secs must be from 1 to 600 (got 0)',
  ],
  [
    'request_timeout_secs = inf',
    'request_timeout_secs',
    'request_timeout_secs must be a number (got Infinity)',
  ],
];

const SCHEDULE_KEYS: (keyof typeof SCHEDULE_BOUNDS)[] = [
  'heartbeat_secs',
  'claim_after_job_secs',
  'claim_idle_secs',
  'log_flush_secs',
  'auto_update_tick_secs',
  'backoff_max_secs',
];

describe('config validation of the file', () => {
  it.each(TOP_LEVEL_RULES)('rejects `%s` naming file, line 4 and key %s', (line, key, message) => {
    const error = parseError(fileWith(line));
    expect(error.message).toBe(`${FILE} line 4: ${message}`);
    expect(error.filePath).toBe(FILE);
    expect(error.line).toBe(4);
    expect(error.key).toBe(key);
  });

  it.each(SCHEDULE_KEYS)('rejects a negative schedule.%s with its line', (name) => {
    const error = parseError(fileWith(`${name} = -0.25`, 'schedule'));
    const { min, max } = SCHEDULE_BOUNDS[name];
    expect(error.message).toBe(
      `${FILE} line 4: schedule.${name} must be from ${min} to ${max} (got -0.25)`,
    );
    expect(error.key).toBe(`schedule.${name}`);
    expect(error.line).toBe(4);
  });

  // 0 made these loops spin (a core, 720 MB in 8 s, SIGTERM ignored; 38,000 claims in 8 s).
  it.each([
    'heartbeat_secs',
    'claim_idle_secs',
    'log_flush_secs',
    'auto_update_tick_secs',
  ] as const)('rejects schedule.%s = 0: every loop that runs on its own has a floor', (name) => {
    const error = parseError(fileWith(`${name} = 0`, 'schedule'));
    const { min, max } = SCHEDULE_BOUNDS[name];
    expect(min).toBeGreaterThan(0);
    expect(error.message).toBe(
      `${FILE} line 4: schedule.${name} must be from ${min} to ${max} (got 0)`,
    );
    expect(error.key).toBe(`schedule.${name}`);
  });

  // 2^31 ms and more overflow Node's timer, which then fires every 1 ms.
  it.each(SCHEDULE_KEYS)('rejects schedule.%s at the timer limit (2^31 ms)', (name) => {
    const error = parseError(fileWith(`${name} = 2147484`, 'schedule'));
    expect(error.message).toContain(`schedule.${name} must be from`);
  });

  it('keeps every duration ceiling below the timer limit', () => {
    for (const [key, { max }] of Object.entries({ ...SCHEDULE_BOUNDS, ...DURATION_BOUNDS })) {
      const ms = max * (key.endsWith('_minutes') ? 60_000 : 1_000);
      expect(ms, key).toBeLessThan(MAX_TIMER_MS);
    }
  });

  it('rejects a non-number schedule value with a type message', () => {
    const error = parseError(fileWith('claim_idle_secs = "5s"', 'schedule'));
    expect(error.message).toBe(
      `${FILE} line 4: schedule.claim_idle_secs must be a number (got "5s")`,
    );
  });

  it('never echoes a secret of the wrong type', () => {
    const error = parseError(fileWith('bootstrap_token = ["hunter2"]'));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('(got a list)');
  });

  it.each(['min', 'max'] as const)('accepts the %s of every duration range', (end) => {
    const text = [
      'vram_threshold_gb = 0',
      ...Object.entries(DURATION_BOUNDS).map(([name, range]) => `${name} = ${range[end]}`),
      '[schedule]',
      ...Object.entries(SCHEDULE_BOUNDS).map(([name, range]) => `${name} = ${range[end]}`),
    ].join('\n');
    const { config } = parseConfig(text, FILE);
    expect(config.job_timeout_secs).toBe(DURATION_BOUNDS.job_timeout_secs[end]);
    expect(config.schedule.heartbeat_secs).toBe(SCHEDULE_BOUNDS.heartbeat_secs[end]);
  });
});

describe('validateConfig', () => {
  it('accepts the defaults', () => {
    expect(validateConfig(defaultConfig()).kind).toBe('valid');
  });

  it('reports the key and message of an invalid value without a file', () => {
    const result = validateConfig({ ...defaultConfig(), vram_threshold_gb: -1 });
    expect(result).toEqual({
      kind: 'invalid',
      problem: { key: 'vram_threshold_gb', message: 'vram_threshold_gb must be >= 0 (got -1)' },
    });
  });

  it('rejects a setting it does not know, so a typo in code is not silently dropped', () => {
    const result = validateConfig({ ...defaultConfig(), vram_treshold_gb: 3 });
    expect(result.kind === 'invalid' && result.problem.message).toBe(
      'the config has no setting named "vram_treshold_gb"',
    );
  });
});

describe('validateConfigPatch', () => {
  it('applies the same rule and message as the file', () => {
    const result = validateConfigPatch({ vram_threshold_gb: -1 });
    expect(result.kind === 'invalid' && result.problem.message).toBe(
      'vram_threshold_gb must be >= 0 (got -1)',
    );
  });

  it('accepts a patch of a few keys, with part of [schedule]', () => {
    const result = validateConfigPatch({ auto_enabled: false, schedule: { heartbeat_secs: 0.5 } });
    expect(result).toEqual({
      kind: 'valid',
      value: { auto_enabled: false, schedule: { heartbeat_secs: 0.5 } },
    });
  });

  it('rejects an invalid value inside a partial [schedule]', () => {
    const result = validateConfigPatch({ schedule: { backoff_max_secs: -1 } });
    expect(result.kind === 'invalid' && result.problem.key).toBe('schedule.backoff_max_secs');
  });
});

describe('applyConfigPatch', () => {
  it('merges [schedule] key by key and replaces other keys', () => {
    const next = applyConfigPatch(defaultConfig(), {
      vram_threshold_gb: 8,
      schedule: { heartbeat_secs: 2 },
    });
    expect(next.vram_threshold_gb).toBe(8);
    expect(next.schedule).toEqual({ ...defaultConfig().schedule, heartbeat_secs: 2 });
  });
});

describe('job limit keys', () => {
  it('reads a raised limit from the file', () => {
    expect(parseConfig('max_prompt_chars = 50000\n', FILE).config.max_prompt_chars).toBe(50_000);
  });

  it('refuses a limit of 0, a fraction, or one beyond its bound, naming the key and the range', () => {
    const problem = (value: number) => {
      const result = validateConfig({ ...defaultConfig(), max_prompt_chars: value });
      return result.kind === 'invalid' ? result.problem.message : 'valid';
    };
    expect(problem(0)).toBe('max_prompt_chars must be from 1 to 33554432 (got 0)');
    expect(problem(33_554_433)).toBe('max_prompt_chars must be from 1 to 33554432 (got 33554433)');
    expect(problem(1.5)).toBe('max_prompt_chars must be a whole number (got 1.5)');
    expect(problem(Number.NaN)).toMatch(/^max_prompt_chars must be a number/);
  });

  it('bounds every limit key', () => {
    for (const key of [
      'max_message_chars',
      'max_messages',
      'max_image_side',
      'max_steps',
      'max_llm_tokens',
      'max_video_secs',
    ]) {
      const result = validateConfig({ ...defaultConfig(), [key]: 1e12 });
      expect(result.kind === 'invalid' && result.problem.key).toBe(key);
    }
  });
});
