// What config.toml gives an engine (its kinds, models and own keys), the factory shape every
// engine is built through, and the one place that turns schema failures into config errors.
import type { z } from 'zod';
import type { TaskKind } from '../../shared/snapshot.js';
import { redactExtra } from '../config/redact.js';
import { isTable } from '../config/toml.js';
import type { Engine } from './engine.js';

export interface EngineSettings {
  /** Where the settings come from, for error messages: `engines[1]`, or `engine = "synthetic"`. */
  where: string;
  /** Kinds to serve; absent means every kind the engine can do. */
  kinds?: TaskKind[];
  /** Models to serve; absent means the engine's own (built-in or detected) models. */
  models?: string[];
  /** The table's other keys, validated by the engine with its own schema. */
  options: Record<string, unknown>;
  /** The folder of config.toml, which relative file paths in the table are read from. */
  configDir?: string | undefined;
}

/** Builds one engine from its settings; throws a config error naming `settings.where`. */
export type EngineFactory = (settings: EngineSettings) => Engine;

/** Parses `value` with `schema`, or throws one error listing every problem at its config path. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A bad api_key (or a password inside a URL) is named, never echoed.
  const shown = isTable(value) ? redactExtra(value) : value;
  const problems = result.error.issues.map((issue) => {
    const path = `${where}${issue.path.map(pathPart).join('')}`;
    // Zod already names the received type for type errors, and the keys for unknown keys.
    const echo = issue.code !== 'invalid_type' && issue.code !== 'unrecognized_keys';
    const got = echo ? ` (got ${describe(valueAt(shown, issue.path))})` : '';
    return `${path}: ${issue.message}${got}`;
  });
  return failConfig(`${problems.join('; ')} — fix ${where} in config.toml`);
}

/** Throws a configuration error (a helper so call sites read as one expression). */
export function failConfig(message: string): never {
  throw new Error(message);
}

function pathPart(key: PropertyKey): string {
  return typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
