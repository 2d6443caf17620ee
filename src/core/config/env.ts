// Settings from the environment, for machines nobody logs into (containers, Kubernetes, systemd):
// every config key as STUDIO_WORKER_<KEY> ([schedule] keys as STUDIO_WORKER_SCHEDULE_<KEY>), and
// STUDIO_WORKER_<KEY>_FILE to read the value from a file (a mounted Kubernetes secret). Values are
// typed by the key's default and checked with the config's one schema; a message names the
// variable and never echoes a secret. Variables that name no key are ignored: Kubernetes injects
// STUDIO_WORKER_SERVICE_HOST and the like for a Service of that name.
import { CONFIG_KEYS, DEFAULT_CONFIG, DEFAULT_SCHEDULE, SCHEDULE_KEYS } from './defaults.js';
import { validateConfigPatch, type ConfigPatch } from './validation.js';
import type { ScheduleConfig, WorkerConfig } from './types.js';
import { SECRET_KEYS } from './types.js';
import { errorMessage } from '../errors/message.js';

export const ENV_PREFIX = 'STUDIO_WORKER_';

/** A secret file larger than this is a mistake (a folder listing, a binary), not a token. */
export const MAX_ENV_FILE_BYTES = 64 * 1024;

export type EnvConfig =
  | {
      kind: 'ok';
      /** The settings the environment sets (flag > env > file > default: env wins over the file). */
      patch: ConfigPatch;
      /** The variable each set key came from, by dotted key (`schedule.heartbeat_secs`). */
      sources: Record<string, string>;
      /** The values read from the environment that are secrets, to redact wherever they could leak. */
      secrets: string[];
    }
  | { kind: 'invalid'; message: string };

export interface EnvInputs {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a `_FILE` variable's file; throws with the reason when it cannot. */
  readFile: (path: string) => string;
}

/** The variable name of a dotted key: `schedule.heartbeat_secs` → STUDIO_WORKER_SCHEDULE_HEARTBEAT_SECS. */
export function envNameOf(key: string): string {
  return ENV_PREFIX + key.replace('.', '_').toUpperCase();
}

type Parsed = { kind: 'ok'; value: unknown } | { kind: 'invalid'; reason: string };

/** Converts a variable's text to the type of the key's default. */
function parseValue(text: string, example: unknown, nullable: boolean): Parsed {
  const trimmed = text.trim();
  if (nullable && trimmed === '') return { kind: 'ok', value: null };
  if (typeof example === 'boolean') {
    const lower = trimmed.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return { kind: 'ok', value: true };
    if (['false', '0', 'no', 'off'].includes(lower)) return { kind: 'ok', value: false };
    return { kind: 'invalid', reason: 'must be true or false' };
  }
  if (typeof example === 'number') {
    const value = trimmed === '' ? NaN : Number(trimmed);
    return Number.isFinite(value)
      ? { kind: 'ok', value }
      : { kind: 'invalid', reason: 'must be a number' };
  }
  if (Array.isArray(example)) {
    // A JSON list (needed for [[engines]] tables), or for plain lists comma-separated words.
    if (trimmed.startsWith('[')) {
      try {
        return { kind: 'ok', value: JSON.parse(trimmed) as unknown };
      } catch {
        return { kind: 'invalid', reason: 'must be a JSON list' };
      }
    }
    const items = trimmed.split(',').map((item) => item.trim());
    return { kind: 'ok', value: items.filter((item) => item !== '') };
  }
  // Strings keep their inner spaces; a secret file's trailing newline is not part of the token.
  return { kind: 'ok', value: trimmed };
}

function isSecretKey(key: string): boolean {
  return (SECRET_KEYS as readonly string[]).includes(key);
}

/** Reads STUDIO_WORKER_* (and *_FILE) for every config key. */
export function configFromEnv({ env, readFile }: EnvInputs): EnvConfig {
  const top: Record<string, unknown> = {};
  const schedule: Partial<Record<keyof ScheduleConfig, unknown>> = {};
  const sources: Record<string, string> = {};
  const secrets: string[] = [];
  const keys: { key: string; example: unknown; nullable: boolean; set: (v: unknown) => void }[] = [
    ...CONFIG_KEYS.filter((key) => key !== 'schedule').map((key) => ({
      key: key as string,
      example: DEFAULT_CONFIG[key] ?? '',
      nullable: DEFAULT_CONFIG[key] === null,
      set: (value: unknown) => (top[key] = value),
    })),
    ...SCHEDULE_KEYS.map((key) => ({
      key: `schedule.${key}`,
      example: DEFAULT_SCHEDULE[key],
      nullable: false,
      set: (value: unknown) => (schedule[key] = value),
    })),
  ];
  for (const { key, example, nullable, set } of keys) {
    const name = envNameOf(key);
    const direct = env[name];
    const fileName = `${name}_FILE`;
    const file = env[fileName];
    if (direct !== undefined && file !== undefined) {
      return {
        kind: 'invalid',
        message: `both ${name} and ${fileName} are set — keep one of them`,
      };
    }
    let text: string;
    let from: string;
    if (file !== undefined) {
      try {
        text = readFile(file);
      } catch (error) {
        return {
          kind: 'invalid',
          message: `${fileName}: could not read ${file}: ${errorMessage(error)} — check the path and that the worker's user may read it`,
        };
      }
      from = fileName;
    } else if (direct !== undefined) {
      text = direct;
      from = name;
    } else continue;
    const parsed = parseValue(text, example, nullable);
    if (parsed.kind === 'invalid') {
      // Only a would-be number or boolean is echoed: text and JSON lists may hold a secret.
      const scalar = typeof example === 'number' || typeof example === 'boolean';
      const shown = scalar ? ` (got ${JSON.stringify(text.slice(0, 60))})` : '';
      return { kind: 'invalid', message: `${from}: ${key} ${parsed.reason}${shown}` };
    }
    set(parsed.value);
    sources[key] = from;
    if (isSecretKey(key) && typeof parsed.value === 'string' && parsed.value !== '') {
      secrets.push(parsed.value);
    }
  }
  const patch = Object.keys(schedule).length > 0 ? { ...top, schedule } : top;
  const checked = validateConfigPatch(patch);
  if (checked.kind === 'invalid') {
    // The variable of `engines.0` is STUDIO_WORKER_ENGINES; of `schedule.x`, its own.
    const key = checked.problem.key ?? '';
    const root = key.startsWith('schedule.') ? key : (key.split('.')[0] ?? '');
    const source = sources[root] ?? 'the environment';
    // Engine tables are free-form and may carry API keys: describe, never echo them.
    const message =
      root === 'engines'
        ? 'engines must be a JSON list of tables, one per engine'
        : checked.problem.message;
    return { kind: 'invalid', message: `${source}: ${message}` };
  }
  return { kind: 'ok', patch: checked.value, sources, secrets };
}

/** Whether the environment sets any setting at all (then a missing config file is fine). */
export function envSetsAnything(config: EnvConfig): boolean {
  return config.kind === 'ok' && Object.keys(config.sources).length > 0;
}

/** The dotted keys on which `next` differs from `prev` (top-level keys, [schedule] key by key). */
export function changedKeys(prev: WorkerConfig, next: WorkerConfig): string[] {
  const changed: string[] = [];
  for (const key of CONFIG_KEYS) {
    if (key === 'schedule') {
      for (const sub of SCHEDULE_KEYS) {
        if (prev.schedule[sub] !== next.schedule[sub]) changed.push(`schedule.${sub}`);
      }
    } else if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) changed.push(key);
  }
  return changed;
}
