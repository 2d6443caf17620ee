// Turns detected servers into [[engines]] tables in the config: a server already configured
// (same engine, same address) is not added twice, every other key of the config and of its tables
// is kept, and `engine` is set so the worker runs what was added:
// - the config ran `synthetic` (the default) with no table, and one table results: `engine`
//   names that table's engine (a single engine needs no router);
// - otherwise `engine = "multi"`, every table a route. A leaf engine that was configured without
//   a table (engine = "openai" on its defaults) keeps running as a table of its own; `synthetic`,
//   the demo engine that makes up its results, is dropped, since it would answer real jobs.
import type { WorkerConfig } from '../../config/types.js';
import { A1111_DEFAULT_URL } from '../a1111/index.js';
import { COMFYUI_DEFAULT_URL } from '../comfyui/index.js';
import { MULTI_ENGINE_NAME } from '../multi.js';
import { OPENAI_DEFAULT_URL } from '../openai/index.js';
import type { DetectedServer } from './detect.js';

const DEFAULT_URLS: Readonly<Record<string, string>> = {
  openai: OPENAI_DEFAULT_URL,
  a1111: A1111_DEFAULT_URL,
  comfyui: COMFYUI_DEFAULT_URL,
};

export interface AddOutcome {
  config: WorkerConfig;
  /** The servers whose tables were added. */
  added: DetectedServer[];
  /** The servers that already had a table. */
  present: DetectedServer[];
  /** What happened to `engine`, in words, or null when it did not change. */
  engineChange: string | null;
}

export function addDetectedEngines(
  config: WorkerConfig,
  servers: readonly DetectedServer[],
): AddOutcome {
  const added: DetectedServer[] = [];
  const present: DetectedServer[] = [];
  for (const server of servers) {
    if (isConfigured(config.engines, server) || added.some((a) => a.baseUrl === server.baseUrl))
      present.push(server);
    else added.push(server);
  }
  if (added.length === 0) return { config, added, present, engineChange: null };
  const { config: next, engineChange } = withTables(config, [
    ...config.engines,
    ...added.map((server) => ({ ...server.table })),
  ]);
  return { config: next, added, present, engineChange };
}

/** Whether one of `tables` already drives `server`. */
export function isConfigured(
  tables: readonly Record<string, unknown>[],
  server: DetectedServer,
): boolean {
  return tables.some(
    (table) =>
      table.engine === server.table.engine &&
      sameServer(table.base_url, server.baseUrl, server.table.engine),
  );
}

/**
 * Adds a GGUF file to the built-in llama engine: to the model_files of its table (the first one),
 * or as a new table. The model id is the file's name without `.gguf`.
 */
export function addLlamaModel(
  config: WorkerConfig,
  file: string,
): { config: WorkerConfig; id: string; engineChange: string | null } {
  const base = file.split(/[\\/]/).pop() ?? file;
  const id = base.replace(/\.gguf$/i, '') || base;
  const index = config.engines.findIndex((table) => table.engine === 'llama');
  const engines = [...config.engines];
  if (index >= 0) {
    const table = engines[index] ?? {};
    const files = table.model_files;
    const current = files !== null && typeof files === 'object' ? files : {};
    engines[index] = { ...table, model_files: { ...current, [id]: file } };
  } else engines.push({ engine: 'llama', model_files: { [id]: file } });
  return { id, ...withTables(config, engines) };
}

/** The config with `engines` as its tables and `engine` set to run them (see the header). */
function withTables(
  config: WorkerConfig,
  tables: Record<string, unknown>[],
): { config: WorkerConfig; engineChange: string | null } {
  const engines = [...tables];
  const previous = config.engine;
  let engine = previous;
  const only = engines.length === 1 ? String(engines[0]?.engine) : undefined;
  if (only !== undefined && (previous === 'synthetic' || previous === only)) engine = only;
  else if (previous !== MULTI_ENGINE_NAME) {
    engine = MULTI_ENGINE_NAME;
    const previousHasTable = config.engines.some((table) => table.engine === previous);
    if (!previousHasTable && previous !== 'synthetic') engines.unshift({ engine: previous });
  }
  const engineChange =
    engine === previous
      ? null
      : `engine changed from "${previous}" to "${engine}"` +
        (engine === MULTI_ENGINE_NAME ? ' (each [[engines]] table is one route)' : '');
  return { config: { ...config, engine, engines }, engineChange };
}

/** Whether a table's base_url (absent: the engine's default) is the server at `url`. */
function sameServer(tableUrl: unknown, url: string, engine: string): boolean {
  const configured = typeof tableUrl === 'string' ? tableUrl : DEFAULT_URLS[engine];
  return configured !== undefined && normalise(configured) === normalise(url);
}

function normalise(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname;
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    const path = parsed.pathname.replace(/\/v1\/?$/, '').replace(/\/$/, '');
    return `${parsed.protocol}//${host}:${port}${path}`;
  } catch {
    return url;
  }
}
