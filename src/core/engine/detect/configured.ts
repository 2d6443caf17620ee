// The engines a config names, one by one (each [[engines]] table, or the single engine), with
// their health and a tiny test job — what `studio-worker engines` and the window's Engines
// section show. Each is built on its own so one broken table does not hide the others.
import path from 'node:path';
import type { WorkerConfig } from '../../config/types.js';
import type { EngineHealth, TaskKind } from '../../../shared/snapshot.js';
import type { Task } from '../../task/task.js';
import { errorMessage } from '../../errors/message.js';
import { redactUrlCredentials } from '../../secrets/redact.js';
import { buildEngine } from '../build.js';
import type { Engine } from '../engine.js';
import { MULTI_ENGINE_NAME } from '../multi.js';

export interface ConfiguredEngine {
  /** `engines[1]`, or `engine` for a single engine without a table. */
  where: string;
  /** The engine's name (`comfyui`, `openai`, …). */
  engine: string;
  /** The table's base_url or model files, for telling two of a kind apart. */
  detail: string | null;
  /** The built engine, or why it could not be built (a config error). */
  built: { ok: true; engine: Engine } | { ok: false; error: string };
}

export function configuredEngines(config: WorkerConfig, configPath?: string): ConfiguredEngine[] {
  const configDir = configPath === undefined ? undefined : path.dirname(configPath);
  const tables =
    config.engine === MULTI_ENGINE_NAME
      ? config.engines.map((table, index) => ({ table, where: `engines[${index}]` }))
      : [
          {
            table: config.engines.find((t) => t.engine === config.engine) ?? {
              engine: config.engine,
            },
            where: 'engine',
          },
        ];
  return tables.map(({ table, where }) => {
    const engine = String(table.engine);
    let built: ConfiguredEngine['built'];
    try {
      built = {
        ok: true,
        engine: buildEngine(engine, {
          engines: [table],
          modelsOverride:
            config.engine === MULTI_ENGINE_NAME ? undefined : config.supported_models_override,
          configDir,
        }),
      };
    } catch (error) {
      built = { ok: false, error: (error as Error).message.replace(/engines\[0\]/g, where) };
    }
    return { where, engine, detail: detailOf(table), built };
  });
}

function detailOf(table: Record<string, unknown>): string | null {
  // A password inside base_url is a secret: the address is shown without it.
  if (typeof table.base_url === 'string') return redactUrlCredentials(table.base_url);
  const files = table.model_files;
  if (files !== null && typeof files === 'object') return Object.values(files).join(', ');
  return null;
}

/** The engine's health within `timeoutMs`; an engine without a server is healthy when built. */
export async function engineHealthOf(
  engine: Engine,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<EngineHealth> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  if (engine.health) return engine.health(both);
  const models = [...new Set(Object.values(engine.capabilities()).flat())];
  return { reachable: true, models, error: null, checkedAt: new Date().toISOString() };
}

export type EngineTestOutcome =
  | { ok: true; kind: TaskKind; model: string; ms: number; result: string }
  | { ok: false; kind: TaskKind | null; model: string | null; ms: number; error: string };

/** The tiny job each kind is tested with: a short prompt, a small size, few steps or tokens. */
const TINY_TASKS: Partial<Record<TaskKind, Task>> = {
  llm: {
    kind: 'llm',
    messages: [{ role: 'user', content: 'Reply with the word ok.' }],
    max_tokens: 8,
    temperature: 0,
  },
  image: {
    kind: 'image',
    prompt: 'a red circle',
    width: 256,
    height: 256,
    steps: 2,
    seed: 1n,
    ext: 'png',
  } as Task,
};

/**
 * Runs one tiny job through `engine` (an llm job where it serves llm, else a small image) with
 * its first model, within `timeoutMs`. Never rejects.
 */
export async function testEngine(
  engine: Engine,
  timeoutMs: number,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<EngineTestOutcome> {
  const started = now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    await engine.refresh?.(both);
  } catch (error) {
    return { ok: false, kind: null, model: null, ms: now() - started, error: errorMessage(error) };
  }
  const capabilities = engine.capabilities();
  const kind = (['llm', 'image'] as const).find((k) => (capabilities[k]?.length ?? 0) > 0);
  if (kind === undefined) {
    const kinds = Object.keys(capabilities);
    return {
      ok: false,
      kind: null,
      model: null,
      ms: now() - started,
      error:
        kinds.length === 0
          ? 'serves no models — start the server, load a model, or set models = [...] in its table'
          : `has no tiny test for ${kinds.join(', ')} (only llm and image jobs are tested)`,
    };
  }
  const model = capabilities[kind]?.[0] ?? '';
  try {
    const result = await engine.run(model, TINY_TASKS[kind] as Task, both, {
      jobId: `engine-test-${started}`,
    });
    const shown =
      result.type === 'bytes'
        ? `${result.data.byteLength} bytes of ${result.ext}`
        : summarise(result.value);
    return { ok: true, kind, model, ms: now() - started, result: shown };
  } catch (error) {
    const timedOut = deadline.aborted && !(signal?.aborted ?? false);
    return {
      ok: false,
      kind,
      model,
      ms: now() - started,
      error: timedOut ? `no result within ${Math.round(timeoutMs / 1000)} s` : errorMessage(error),
    };
  }
}

/** One line of a JSON result: the reply's text where it has one (OpenAI's chat shape). */
function summarise(value: unknown): string {
  const reply = (value as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]
    ?.message?.content;
  const text = typeof reply === 'string' ? reply : JSON.stringify(value);
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
