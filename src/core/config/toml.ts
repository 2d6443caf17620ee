// config.toml ⇄ WorkerConfig. Parsing fills in defaults, validates with the schema and keeps
// every key it does not know in `extra`, so that writing the file back never loses a setting
// added by a newer version or by hand. Serializing writes a stable key order.
import { parse, stringify, TomlError } from 'smol-toml';
import { ConfigError } from './errors.js';
import { findKeyLine } from './key-line.js';
import { CONFIG_KEYS, SCHEDULE_KEYS, defaultConfig } from './defaults.js';
import { validateConfig } from './validation.js';
import type { WorkerConfig } from './types.js';
import { errorMessage } from '../errors/message.js';

export interface ParsedConfig {
  config: WorkerConfig;
  /** Keys this version does not know, as found; unknown [schedule] keys are under `schedule`. */
  extra: Record<string, unknown>;
}

const FILE_HEADER =
  '# Studio Worker settings. Rewritten by studio-worker when settings change: comments are not kept.\n\n';

/** Parses config.toml's text; throws ConfigError naming the file, line and key at fault. */
export function parseConfig(text: string, filePath: string): ParsedConfig {
  const [known, extra] = splitKeys(parseToml(text, filePath), CONFIG_KEYS);
  const defaults = defaultConfig();
  // A [schedule] that is not a table goes to validation as it is, to be reported.
  let schedule: unknown = known.schedule ?? defaults.schedule;
  if (isTable(known.schedule)) {
    const [scheduleKnown, scheduleExtra] = splitKeys(known.schedule, SCHEDULE_KEYS);
    schedule = { ...defaults.schedule, ...scheduleKnown };
    if (Object.keys(scheduleExtra).length > 0) extra.schedule = scheduleExtra;
  }

  const checked = validateConfig({ ...defaults, ...known, schedule });
  if (checked.kind === 'invalid') {
    const { key, message } = checked.problem;
    const line = key === undefined ? undefined : findKeyLine(text, key);
    throw new ConfigError({
      filePath,
      detail: message,
      ...(line === undefined ? {} : { line }),
      ...(key === undefined ? {} : { key }),
    });
  }
  return { config: checked.value, extra };
}

/**
 * The TOML text for a config and its extras: known keys in DEFAULT_CONFIG's order, then extras,
 * then the tables ([[engines]], extra tables) and [schedule] last. Null settings are left out.
 */
export function serializeConfig(config: WorkerConfig, extra: Record<string, unknown>): string {
  // smol-toml leaves out nulls and writes plain values before tables, each in insertion order.
  return `${FILE_HEADER}${stringify(toFileTable(config, extra))}\n`;
}

/**
 * The config and its extras merged into the file's layout: known keys in DEFAULT_CONFIG's
 * order, extras after them, [schedule] (known keys, then its extras) last.
 */
function toFileTable(
  config: WorkerConfig,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const table: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    if (key !== 'schedule') table[key] = config[key];
  }
  for (const [key, value] of Object.entries(extra)) {
    // Extras never shadow known keys, whatever a caller put in them.
    if (!(CONFIG_KEYS as string[]).includes(key)) table[key] = value;
  }
  const schedule: Record<string, unknown> = { ...config.schedule };
  for (const [key, value] of Object.entries(isTable(extra.schedule) ? extra.schedule : {})) {
    if (!(key in schedule)) schedule[key] = value;
  }
  table.schedule = schedule;
  return table;
}

/** [the keys this version knows, the others], each in the file's order. */
function splitKeys(
  table: Record<string, unknown>,
  knownKeys: readonly string[],
): [Record<string, unknown>, Record<string, unknown>] {
  const known: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    if (knownKeys.includes(key)) known[key] = value;
    else unknown[key] = value;
  }
  return [known, unknown];
}

function parseToml(text: string, filePath: string): Record<string, unknown> {
  try {
    // Windows editors may start the file with a byte-order mark; TOML does not allow one.
    return toPlain(parse(text.replace(/^\uFEFF/, ''))) as Record<string, unknown>;
  } catch (error) {
    const what =
      error instanceof TomlError
        ? `${firstLine(error.message).replace(/^Invalid TOML document:\s*/, '')} (column ${error.column})`
        : firstLine(errorMessage(error));
    throw new ConfigError({
      filePath,
      detail: `invalid TOML: ${what} — fix the file or delete it to get defaults`,
      ...(error instanceof TomlError ? { line: error.line } : {}),
      cause: error,
    });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

/** A TOML table (not a list or a date). */
export function isTable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/**
 * smol-toml builds tables with a null prototype; make them ordinary objects so parsed and
 * in-process configs compare equal (node:util isDeepStrictEqual compares prototypes).
 */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (!isTable(value)) return value;
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) plain[key] = toPlain(item);
  return plain;
}
