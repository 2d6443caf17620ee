import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/config/defaults.js';
import { ConfigError } from '../../../src/core/config/errors.js';
import { parseConfig, serializeConfig } from '../../../src/core/config/toml.js';

const FILE = '/x/config.toml';

const FULL_FILE = `
api_base_url = "https://studio.example.com"
bootstrap_token = "boot-123"
worker_id = "w-1"
auth_token = "secret-abc"
vram_threshold_gb = 23.5
auto_start = false
auto_enabled = false
engine = "multi"
supported_models_override = ["sdxl", "flux-dev"]
auto_update_feed = "https://example.com/releases.json"
auto_update_prerelease = true
models_root = "/models"
spool_dir = "/var/spool/sw"
nickname = "rig-7"
future_flag = true

[[engines]]
kind = "openai"
base_url = "http://127.0.0.1:8080/v1"

[[engines]]
kind = "a1111"
models = ["sdxl"]

[telemetry]
enabled = false

[schedule]
heartbeat_secs = 0.05
claim_idle_secs = 2
jitter = 0.1
`;

describe('parseConfig', () => {
  it('gives every default for an empty file', () => {
    expect(parseConfig('', FILE)).toEqual({ config: DEFAULT_CONFIG, extra: {} });
  });

  it('takes defaults for the keys a file leaves out', () => {
    const { config } = parseConfig('vram_threshold_gb = 8\n[schedule]\nheartbeat_secs = 2\n', FILE);
    expect(config.vram_threshold_gb).toBe(8);
    expect(config.engine).toBe('synthetic');
    expect(config.schedule).toEqual({ ...DEFAULT_CONFIG.schedule, heartbeat_secs: 2 });
  });

  it('reads optional keys left out of the file as null', () => {
    const { config } = parseConfig('engine = "synthetic"\n', FILE);
    expect([config.worker_id, config.auth_token, config.auto_update_feed]).toEqual([
      null,
      null,
      null,
    ]);
    expect([config.models_root, config.spool_dir]).toEqual([null, null]);
  });

  it('reads every known key of a full file', () => {
    const { config } = parseConfig(FULL_FILE, FILE);
    expect(config).toMatchObject({
      api_base_url: 'https://studio.example.com',
      worker_id: 'w-1',
      auth_token: 'secret-abc',
      vram_threshold_gb: 23.5,
      auto_enabled: false,
      engine: 'multi',
      supported_models_override: ['sdxl', 'flux-dev'],
      engines: [
        { kind: 'openai', base_url: 'http://127.0.0.1:8080/v1' },
        { kind: 'a1111', models: ['sdxl'] },
      ],
    });
  });

  it('accepts sub-second schedule values', () => {
    const { config } = parseConfig(
      '[schedule]\nheartbeat_secs = 0.05\nlog_flush_secs = 0.25\n',
      FILE,
    );
    expect(config.schedule.heartbeat_secs).toBe(0.05);
    expect(config.schedule.log_flush_secs).toBe(0.25);
  });

  it('keeps unknown top-level keys, tables and [schedule] keys in extra', () => {
    const { extra } = parseConfig(FULL_FILE, FILE);
    expect(extra).toEqual({
      nickname: 'rig-7',
      future_flag: true,
      telemetry: { enabled: false },
      schedule: { jitter: 0.1 },
    });
  });

  it('accepts a file that starts with a byte-order mark', () => {
    expect(parseConfig('\uFEFFengine = "multi"\n', FILE).config.engine).toBe('multi');
  });

  it('reports a TOML syntax error with file, line and what to do', () => {
    const text = 'engine = "synthetic"\n\nvram_threshold_gb = \nauto_start = true\n';
    let error: unknown;
    try {
      parseConfig(text, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).line).toBe(3);
    expect((error as ConfigError).message).toMatch(
      /^\/x\/config\.toml line 3: invalid TOML: .+ — fix the file or delete it to get defaults$/,
    );
  });
});

describe('serializeConfig', () => {
  it('round-trips a full file without losing a value or an unknown key', () => {
    const first = parseConfig(FULL_FILE, FILE);
    const again = parseConfig(serializeConfig(first.config, first.extra), FILE);
    expect(again).toEqual(first);
  });

  it('round-trips the defaults', () => {
    const text = serializeConfig({ ...DEFAULT_CONFIG }, {});
    expect(parseConfig(text, FILE)).toEqual({ config: DEFAULT_CONFIG, extra: {} });
  });

  it('leaves null settings out of the file', () => {
    const text = serializeConfig({ ...DEFAULT_CONFIG }, {});
    expect(text).not.toMatch(/worker_id|auth_token|auto_update_feed|models_root|spool_dir/);
  });

  it('writes known keys in order, then extras, then tables, with [schedule] last', () => {
    const { config, extra } = parseConfig(FULL_FILE, FILE);
    const text = serializeConfig(config, extra);
    const at = (needle: string) => text.indexOf(needle);
    const order = [
      'api_base_url =',
      'bootstrap_token =',
      'vram_threshold_gb =',
      'spool_dir =',
      'nickname =',
      'future_flag =',
      '[[engines]]',
      '[telemetry]',
      '[schedule]',
      'jitter =',
    ].map(at);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('writes the same text for the same config every time', () => {
    const { config, extra } = parseConfig(FULL_FILE, FILE);
    expect(serializeConfig(config, extra)).toBe(serializeConfig(config, extra));
  });

  it('never lets an extra shadow a known key', () => {
    const text = serializeConfig({ ...DEFAULT_CONFIG }, { engine: 'from-extra' });
    expect(parseConfig(text, FILE).config.engine).toBe('synthetic');
  });
});
