// The built-in llama engine: runs llm tasks on GGUF models in this process through llama.cpp
// (node-llama-cpp), with no server to install. A model loads on its first job, stays loaded
// between jobs, and is unloaded after unload_after_idle_secs without a job; one model is loaded
// at a time (a job for another model swaps it). Jobs run one after another.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { EngineHealth } from '../../../shared/snapshot.js';
import { cannotServeMessage, type LlmTask } from '../../task/task.js';
import { abortedError, untilAborted } from '../abort.js';
import { NO_HELD_VRAM, type Engine, type EngineResult, type RunContext } from '../engine.js';
import type { ChatCompletion } from '../synthetic/llm.js';
import { readModelFileInfo, type ModelFileInfo } from './gguf-info.js';
import {
  startLlamaBackend,
  type LlamaBackend,
  type LlamaGpuChoice,
  type LoadedModel,
} from './runtime.js';
import { errorMessage } from '../../errors/message.js';

export const LLAMA_ENGINE_NAME = 'llama';

/** Runs `fire` after `ms` unless the returned function cancels it first. */
export type IdleTimer = (ms: number, fire: () => void) => () => void;

export interface LlamaEngineOptions {
  /** Model id → path of its .gguf file. */
  modelFiles: Readonly<Record<string, string>>;
  /** Model ids to advertise; default: every key of modelFiles. */
  models?: readonly string[] | undefined;
  gpu: LlamaGpuChoice;
  /** CPU threads for llama.cpp; 0 lets llama.cpp choose. */
  threads: number;
  contextSize: number;
  /** Unloads the model this long after its last job; 0 unloads right after each job. */
  unloadAfterIdleMs: number;
  /** Starts llama.cpp; tests pass the real one with their own settings. */
  startBackend?: (gpu: LlamaGpuChoice, threads: number) => Promise<LlamaBackend>;
  idleTimer?: IdleTimer;
  now?: () => number;
}

export interface LlamaEngine extends Engine {
  /** The model now in memory, or null. */
  loadedModel(): string | null;
  /** Unloads the model now (it loads again on its next job). */
  unload(): Promise<void>;
  /** Unloads the model and stops llama.cpp; the engine starts it again when asked to run. */
  dispose(): Promise<void>;
}

/** The real timer: unref'd, so a loaded model never keeps the process alive. */
const realIdleTimer: IdleTimer = (ms, fire) => {
  const handle = setTimeout(fire, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

// Long on purpose (over 120 lines): load, run, unload and health share one loaded model and its
// idle timer; each method is short, and keeping them in one closure keeps that state private.
export function createLlamaEngine(options: LlamaEngineOptions): LlamaEngine {
  // A Map: a job's model id ("constructor", "__proto__") must never find an inherited key.
  const modelFiles = new Map(Object.entries(options.modelFiles));
  const advertised = [...new Set(options.models ?? modelFiles.keys())].sort();
  const startBackend = options.startBackend ?? startLlamaBackend;
  const idleTimer = options.idleTimer ?? realIdleTimer;
  const now = options.now ?? Date.now;

  let backend: Promise<LlamaBackend> | null = null;
  let current: { model: string; loaded: Promise<LoadedModel> } | null = null;
  let cancelIdle: (() => void) | null = null;
  // Jobs (and unloads) take turns: one context sequence, one model in memory.
  let turn: Promise<unknown> = Promise.resolve();

  function serially<T>(work: () => Promise<T>): Promise<T> {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  }

  function theBackend(): Promise<LlamaBackend> {
    if (!backend) {
      const starting = startBackend(options.gpu, options.threads);
      backend = starting;
      // A failed start is tried again on the next job, not remembered forever.
      starting.catch(() => {
        if (backend === starting) backend = null;
      });
    }
    return backend;
  }

  async function unloadNow(): Promise<void> {
    cancelIdle?.();
    cancelIdle = null;
    const leaving = current;
    current = null;
    if (leaving) await (await leaving.loaded.catch(() => null))?.dispose();
  }

  function modelFor(model: string): Promise<LoadedModel> {
    if (current?.model === model) return current.loaded;
    const path = modelFiles.get(model);
    if (path === undefined) {
      const known = [...modelFiles.keys()].join(', ') || 'none';
      throw new Error(
        `llama engine has no model file for "${model}" (model_files has: ${known}) — ` +
          'add it to model_files in the llama [[engines]] table of config.toml',
      );
    }
    const previous = current;
    const loaded = (async () => {
      if (previous) await (await previous.loaded.catch(() => null))?.dispose();
      // The header first: a missing or foreign file fails with a plain reason, not llama.cpp's.
      await readModelFileInfo(model, path, options.contextSize);
      const started = await theBackend();
      try {
        return await started.load(path, options.contextSize);
      } catch (error) {
        throw new Error(
          `llama.cpp could not load model "${model}" from ${path}: ${errorMessage(error)} — ` +
            'check that it is a complete GGUF model file, or lower context_size',
        );
      }
    })();
    const entry = { model, loaded };
    current = entry;
    loaded.catch(() => {
      if (current === entry) current = null;
    });
    return loaded;
  }

  async function complete(
    model: string,
    task: LlmTask,
    signal: AbortSignal,
    hooks: RunContext | undefined,
  ): Promise<EngineResult> {
    if (signal.aborted) throw abortedError(LLAMA_ENGINE_NAME, signal);
    cancelIdle?.();
    cancelIdle = null;
    try {
      // Loading cannot be interrupted; a cancelled job stops waiting and the model stays loaded.
      const loaded = await untilAborted(LLAMA_ENGINE_NAME, signal, modelFor(model));
      const total = task.max_tokens;
      hooks?.progress?.({ unit: 'tokens', done: 0, total });
      const generation = await loaded
        .generate(
          task.messages.map((m) => ({ role: m.role, content: m.content ?? '' })),
          {
            maxTokens: task.max_tokens,
            temperature: task.temperature,
            seed: task.seed === undefined || task.seed === null ? undefined : uint32(task.seed),
            stop: stopStrings(task.stop),
            signal,
            onText: (_text, done) => hooks?.progress?.({ unit: 'tokens', done, total }),
          },
        )
        .catch((error: unknown) => {
          if (signal.aborted) throw abortedError(LLAMA_ENGINE_NAME, signal);
          throw new Error(`llama engine failed while generating: ${errorMessage(error)}`);
        });
      const completion: ChatCompletion = {
        id: `chatcmpl-llama-${randomUUID()}`,
        object: 'chat.completion',
        created: Math.floor(now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: generation.text },
            finish_reason: generation.finishReason,
          },
        ],
        usage: {
          prompt_tokens: generation.promptTokens,
          completion_tokens: generation.completionTokens,
          total_tokens: generation.promptTokens + generation.completionTokens,
        },
      };
      return { type: 'json', value: completion };
    } finally {
      scheduleUnload();
    }
  }

  function scheduleUnload(): void {
    cancelIdle?.();
    cancelIdle = idleTimer(options.unloadAfterIdleMs, () => {
      cancelIdle = null;
      void serially(unloadNow);
    });
  }

  // The health check runs every minute: a file's header is read again only when it changed.
  const headers = new Map<string, { stamp: string; info: ModelFileInfo }>();
  async function headerInfo(model: string, path: string): Promise<ModelFileInfo> {
    const seen = await stat(path).catch(() => null);
    const stamp = seen ? `${seen.size}:${seen.mtimeMs}:${seen.ino}` : '';
    const cached = headers.get(path);
    if (seen && cached?.stamp === stamp) return cached.info;
    headers.delete(path);
    const info = await readModelFileInfo(model, path, options.contextSize);
    if (seen) headers.set(path, { stamp, info });
    return info;
  }

  async function health(): Promise<EngineHealth> {
    const problems: string[] = [];
    const models: string[] = [];
    const modelVramGb: Record<string, number> = {};
    for (const model of advertised) {
      const path = modelFiles.get(model);
      if (path === undefined) {
        problems.push(`no model file for "${model}" in model_files`);
        continue;
      }
      try {
        modelVramGb[model] = (await headerInfo(model, path)).vramGb;
        models.push(model);
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    let started: LlamaBackend | null = null;
    try {
      started = await theBackend();
    } catch (error) {
      problems.push(errorMessage(error));
    }
    return {
      reachable: started !== null && models.length > 0,
      models,
      error: problems.length === 0 ? null : problems.join('; '),
      checkedAt: new Date(now()).toISOString(),
      ...(started
        ? {
            backend: started.name,
            devices: started.devices.map((name) => ({ name, vramTotalGb: null, vramFreeGb: null })),
          }
        : {}),
      modelVramGb,
    };
  }

  return {
    name: LLAMA_ENGINE_NAME,
    capabilities: () => ({ llm: [...advertised] }),
    run(model, task, signal, hooks) {
      if (task.kind !== 'llm') {
        return Promise.reject(new Error(cannotServeMessage(LLAMA_ENGINE_NAME, task.kind)));
      }
      if (signal.aborted) return Promise.reject(abortedError(LLAMA_ENGINE_NAME, signal));
      return untilAborted(
        LLAMA_ENGINE_NAME,
        signal,
        serially(() => complete(model, task, signal, hooks)),
      );
    },
    health: () => health(),
    async heldVram() {
      // The loaded model stays on the GPU between jobs, in this very process: its estimate from
      // the file, and this process's share as nvidia-smi lists it (admission takes the larger).
      // Nothing here waits on a load or a backend start: a heartbeat must not stall behind one.
      const model = current?.model;
      const path = model === undefined ? undefined : modelFiles.get(model);
      if (model === undefined || path === undefined) return NO_HELD_VRAM;
      const started = backend ? await settledOrNull(backend) : null;
      if (started === null || started.name === 'CPU') return NO_HELD_VRAM;
      const info = await headerInfo(model, path).catch(() => null);
      return { gb: info?.vramGb ?? 0, pids: [process.pid] };
    },
    loadedModel: () => current?.model ?? null,
    unload: () => serially(unloadNow),
    dispose: () =>
      serially(async () => {
        await unloadNow();
        const stopping = backend;
        backend = null;
        await (await stopping?.catch(() => null))?.dispose();
      }),
  };
}

/** The promise's value when it has already settled with one; null when pending or rejected. */
async function settledOrNull<T>(promise: Promise<T>): Promise<T | null> {
  // Promise.race takes the first settled entry in order, so a settled `promise` wins the race.
  const pending = Symbol('pending');
  try {
    const value = await Promise.race([promise, Promise.resolve(pending)]);
    return value === pending ? null : (value as T);
  } catch {
    return null;
  }
}

/** The job's stop strings, without empty ones (an empty stop would end every reply at once). */
function stopStrings(stop: string | string[] | undefined): string[] {
  const list = stop === undefined ? [] : Array.isArray(stop) ? stop : [stop];
  return list.filter((s) => s.length > 0);
}

/** llama.cpp seeds are unsigned 32-bit: any integer the studio sends (a u64, exact) maps onto one. */
function uint32(seed: bigint): number {
  return Number(BigInt.asUintN(32, seed));
}
