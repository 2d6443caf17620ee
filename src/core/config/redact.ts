// The config as it may be shown (CLI `config`, logs, error reports): secrets replaced by
// `<redacted>`, including secret-looking keys in engines tables and extras, and passwords
// inside URLs. The result keeps its shape, so it can still be serialized or displayed.
import { isTable } from './toml.js';
import { SECRET_KEYS, type WorkerConfig } from './types.js';

import { REDACTED, redactUrlCredentials, urlCredentials } from '../secrets/redact.js';

export { REDACTED };

/**
 * Names that look like credentials. `…_tokens` (max_tokens, a count) is not one: engines tables
 * for LLMs carry such limits and hiding them would only make the output less useful.
 */
const SECRET_NAME = /token|secret|password|passwd|api[_-]?key/i;
const COUNT_NAME = /tokens$/i;

/**
 * The secret values of a config, for a redactor: the tokens (SECRET_KEYS) and the credentials
 * written into its URLs. Every logger, studio client and error report takes its list from here.
 */
export function configSecrets(config: WorkerConfig): string[] {
  return [
    ...SECRET_KEYS.map((key) => config[key] ?? ''),
    ...urlCredentials(config.api_base_url),
    ...urlCredentials(config.auto_update_feed),
  ].filter((s) => s !== '');
}

/** A copy of the config with every set secret (SECRET_KEYS, secret-looking keys) hidden. */
export function redactConfig(config: WorkerConfig): WorkerConfig {
  return redactTable(config) as unknown as WorkerConfig;
}

/** A copy of the unknown keys kept from the file, with secret-looking keys hidden. */
export function redactExtra(extra: Record<string, unknown>): Record<string, unknown> {
  return redactTable(extra);
}

function isSecretName(name: string): boolean {
  return (
    (SECRET_KEYS as readonly string[]).includes(name) ||
    (SECRET_NAME.test(name) && !COUNT_NAME.test(name))
  );
}

function redactTable(table: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const hide = isSecretName(key) && value !== null && value !== undefined;
    copy[key] = hide ? REDACTED : redactValue(value);
  }
  return copy;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'string') return redactUrlCredentials(value);
  return isTable(value) ? redactTable(value) : value;
}
