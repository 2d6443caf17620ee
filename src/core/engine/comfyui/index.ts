// The comfyui engine: image, video and audio jobs on a ComfyUI server. A job runs the owner's
// workflow for its model (workflows), else the built-in text-to-image graph on the checkpoint
// model_map names or the one whose file name matches the model id. Advertised models: the
// server's checkpoints (image) plus each workflow's id (for the kinds it serves).
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { TASK_KINDS, type EngineHealth, type TaskKind } from '../../../shared/snapshot.js';
import { cannotServeMessage, type Task } from '../../task/task.js';
import { abortableDelay, throwIfAborted } from '../abort.js';
import type { Engine, EngineCapabilities, EngineResult, RunContext } from '../engine.js';
import { EngineJobError, NO_HELD_VRAM } from '../engine.js';
import { createServerClient } from '../remote/http.js';
import {
  advertisedModels,
  createModelCatalog,
  DISCOVERY_TIMEOUT_MS,
  localModel,
} from '../remote/models.js';
import { listCheckpoints, systemStats, type SystemStats } from './api.js';
import { followPrompt } from './follow.js';
import { filesIn, resultFrom } from './outputs.js';
import { promptIdFor } from './prompt-id.js';
import {
  builtInGraph,
  DEFAULT_GRAPH,
  fillWorkflow,
  valuesFor,
  type Graph,
  type GraphDefaults,
} from './workflow.js';
import { errorMessage } from '../../errors/message.js';

export const COMFYUI_ENGINE_NAME = 'comfyui';
/** ComfyUI's own port. */
export const COMFYUI_DEFAULT_URL = 'http://127.0.0.1:8188';
/** The kinds a workflow can serve; the built-in graph serves image only. */
export const COMFYUI_KINDS: readonly TaskKind[] = ['image', 'video', 'audio_tts'];

export interface ComfyWorkflow {
  /** The API-format graph, checked when the config was read. */
  graph: unknown;
  /** Kinds this workflow serves. */
  kinds: readonly TaskKind[];
  /** The file it came from, for messages. */
  file: string;
}

export interface ComfyEngineOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Studio model id → checkpoint file name. */
  modelMap?: Readonly<Record<string, string>>;
  /** Studio model id → workflow. */
  workflows?: Readonly<Record<string, ComfyWorkflow>>;
  /** Kinds to serve (default: image, plus what the workflows serve). */
  kinds?: readonly TaskKind[];
  /** Studio model ids to advertise instead of the discovered ones. */
  models?: readonly string[] | undefined;
  graph?: Partial<GraphDefaults>;
  /** No progress for this long: cancel and fail (default 300 s). */
  stallMs?: number;
  /** How long a server that went away mid-job is waited for (default 120 s). */
  reconnectMs?: number;
  /** How long claiming pauses after an out-of-memory failure (default 30 s). */
  oomHoldMs?: number;
  /** How often /queue and /history are polled besides the socket (default 1 s). */
  pollMs?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
}

/** What discovery found: the checkpoints and the devices. */
interface Discovered {
  checkpoints: string[];
  stats: SystemStats | undefined;
}

export interface ComfyEngine extends Engine {
  health(signal?: AbortSignal): Promise<EngineHealth>;
  refresh(signal?: AbortSignal): Promise<void>;
  /** The devices /system_stats reported at the last discovery (names, VRAM in bytes). */
  devices(): SystemStats['devices'];
}

// Long on purpose (over 120 lines): the engine's methods share what discovery found (checkpoints,
// devices, workflows); each method is short and they read best side by side.
export function createComfyEngine(options: ComfyEngineOptions): ComfyEngine {
  const modelMap = { ...options.modelMap };
  const workflows = { ...options.workflows };
  const graphDefaults: GraphDefaults = { ...DEFAULT_GRAPH, ...options.graph };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  // The follow loop checks the signal itself after each wait, so a wait just ends on abort.
  const wait =
    options.sleep ??
    ((ms: number, signal: AbortSignal) =>
      abortableDelay(COMFYUI_ENGINE_NAME, ms, signal).catch(() => undefined));
  // One client id per engine: ComfyUI sends a prompt's errors only to the client that queued it.
  const clientId = randomUUID().replaceAll('-', '');
  const client = createServerClient({
    engine: COMFYUI_ENGINE_NAME,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const discoveryMs = Math.min(options.timeoutMs, DISCOVERY_TIMEOUT_MS);
  const catalog = createModelCatalog<Discovered>({
    async discover(signal) {
      // Health is /system_stats; the checkpoint list is what can be advertised.
      const stats = await systemStats(client, signal, discoveryMs);
      const checkpoints = await listCheckpoints(client, signal, discoveryMs);
      return { checkpoints, stats };
    },
    // A checkpoint is offered by its file name and by its bare name (`sd_xl_base_1.0`).
    advertise: (found) =>
      advertisedModels(modelMap, [
        ...new Set([...found.checkpoints, ...found.checkpoints.map(stem)]),
      ]),
    now,
  });
  const workflowKinds = Object.values(workflows).flatMap((w) => w.kinds);
  const kinds = TASK_KINDS.filter((kind) =>
    (options.kinds ?? ['image', ...workflowKinds]).includes(kind),
  );
  const configured = options.models === undefined ? undefined : [...new Set(options.models)].sort();

  function modelsFor(kind: TaskKind): string[] {
    if (configured !== undefined) return [...configured];
    const flows = Object.entries(workflows)
      .filter(([, w]) => w.kinds.includes(kind))
      .map(([id]) => id);
    const checkpoints = kind === 'image' ? catalog.advertised() : [];
    return [...new Set([...checkpoints, ...flows])].sort();
  }

  /** The checkpoint for a model id: model_map's, else a listed file whose name matches it. */
  function checkpointFor(model: string): string {
    const local = localModel(modelMap, model);
    const listed = catalog.current()?.checkpoints ?? [];
    if (listed.includes(local)) return local;
    const match = listed.find((name) => stem(name) === local || name.endsWith(`/${local}`));
    return match ?? local;
  }

  function graphFor(model: string, task: Task): Graph {
    const workflow = Object.hasOwn(workflows, model) ? workflows[model] : undefined;
    if (workflow !== undefined && !workflow.kinds.includes(task.kind)) {
      throw new EngineJobError(
        `comfyui engine: the workflow for ${model} (${workflow.file}) serves ` +
          `${workflow.kinds.join(', ')} jobs, not ${task.kind}`,
        { retryable: false },
      );
    }
    const checkpoint = checkpointFor(model);
    const values = valuesFor(task, checkpoint, graphDefaults, random);
    if (workflow !== undefined) {
      try {
        return fillWorkflow(workflow.graph, values);
      } catch (error) {
        throw new EngineJobError(`comfyui engine: ${workflow.file}: ${errorMessage(error)}`, {
          retryable: false,
        });
      }
    }
    if (task.kind !== 'image') {
      throw new EngineJobError(
        `comfyui engine: no workflow for ${task.kind} model ${model} — add it to workflows in ` +
          'the engine settings (the built-in graph makes images only)',
        { retryable: false },
      );
    }
    return builtInGraph(values, graphDefaults);
  }

  async function run(
    model: string,
    task: Task,
    signal: AbortSignal,
    job?: RunContext,
  ): Promise<EngineResult> {
    throwIfAborted(COMFYUI_ENGINE_NAME, signal);
    if (!kinds.includes(task.kind))
      throw new Error(cannotServeMessage(COMFYUI_ENGINE_NAME, task.kind));
    if (catalog.current() === undefined && !Object.hasOwn(workflows, model)) {
      // The checkpoint list decides which file the model id means; read it once if not yet.
      await catalog.refresh(signal).catch(() => undefined);
    }
    const graph = graphFor(model, task);
    // Without a job id (a tool's test run) the prompt gets a fresh id: nothing to resume.
    const promptId = promptIdFor(job?.jobId ?? randomUUID());
    const outputs = await followPrompt({
      client,
      wsUrl: wsUrlOf(options.baseUrl),
      clientId,
      promptId,
      graph,
      signal,
      progress: job?.progress,
      now,
      sleep: wait,
      pollMs: options.pollMs ?? 1_000,
      stallMs: options.stallMs ?? 300_000,
      reconnectMs: options.reconnectMs ?? 120_000,
      oomHoldMs: options.oomHoldMs ?? 30_000,
      requestMs: discoveryMs,
    });
    return resultFrom(client, filesIn(outputs), task, signal);
  }

  return {
    name: COMFYUI_ENGINE_NAME,
    capabilities() {
      const capabilities: EngineCapabilities = {};
      for (const kind of kinds) capabilities[kind] = modelsFor(kind);
      return capabilities;
    },
    run,
    async health(signal) {
      const health = await catalog.health(signal);
      const models = [...new Set(kinds.flatMap(modelsFor))].sort();
      const devices = (catalog.current()?.stats?.devices ?? []).map((d) => ({
        name: d.name,
        vramTotalGb: gib(d.vram_total),
        vramFreeGb: gib(d.vram_free),
      }));
      return { ...health, models, ...(devices.length > 0 ? { devices } : {}) };
    },
    refresh: (signal) => catalog.refresh(signal),
    async heldVram(_model, signal) {
      // Asked at each probe, not from the last discovery: a model loaded by the job that just
      // ended must count before the next claim. torch_vram_total is what torch keeps reserved.
      try {
        const stats = await systemStats(client, signal, Math.min(discoveryMs, HELD_VRAM_MS));
        const bytes = stats.devices.reduce((sum, d) => sum + (d.torch_vram_total ?? 0), 0);
        return { gb: Number.isFinite(bytes) && bytes > 0 ? bytes / 1024 ** 3 : 0, pids: [] };
      } catch {
        return NO_HELD_VRAM;
      }
    },
    devices: () => [...(catalog.current()?.stats?.devices ?? [])],
  };
}

/** How long admission waits for /system_stats before counting nothing as held. */
const HELD_VRAM_MS = 2_000;

/** Bytes as GiB with two decimals; null when the server did not say. */
function gib(bytes: number | undefined): number | null {
  return bytes === undefined || !Number.isFinite(bytes)
    ? null
    : Math.round((bytes / 1024 ** 3) * 100) / 100;
}

/** `SD1.5/v1-5-pruned-emaonly.safetensors` → `v1-5-pruned-emaonly`. */
function stem(name: string): string {
  return (name.split(/[/\\]/).pop() ?? name).replace(/\.[^.]+$/, '');
}

/** http://host:port/prefix → ws://host:port/prefix/ws (https → wss). */
export function wsUrlOf(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws`;
}
