// The Engine port: what runs a task on the local GPU (or, for `synthetic`, on the CPU).
import type { EngineHealth, TaskKind } from '../../shared/snapshot.js';
import type { Task } from '../task/task.js';

/** Bytes to upload with `complete` (ext tells the truth about the bytes), or JSON for `complete-json`. */
export type EngineResult =
  { type: 'bytes'; ext: string; data: Uint8Array } | { type: 'json'; value: unknown };

/** Model ids this engine serves, per kind. A kind that is absent is not served. */
export type EngineCapabilities = Partial<Record<TaskKind, string[]>>;

/** How far a running task is (sampler steps, tokens), as the engine measures it. */
export interface EngineProgress {
  /** Steps (or tokens) done so far. */
  done: number;
  /** Steps expected in all, or null when the engine cannot tell. */
  total: number | null;
  /** What is counted: `steps`, `tokens`. */
  unit: string;
  /** What runs now, in words (`KSampler (node 3)`, `queued in ComfyUI, 2 ahead`), if known. */
  stage?: string | undefined;
}

/** Called by an engine as its task advances; cheap, never throws. */
export type ProgressSink = (progress: EngineProgress) => void;

/** What the worker tells an engine about the job it runs (tests and tools may leave it out). */
export interface RunContext {
  /** The studio's job id, for engines that name their work after it (ComfyUI's prompt_id). */
  jobId: string;
  progress?: ProgressSink;
}

/**
 * A failure the engine knows more about than "it failed": whether running the job again
 * (elsewhere) can help, and whether the GPU needs a moment before the next job (out of memory).
 * Any other error is reported retryable.
 */
export class EngineJobError extends Error {
  readonly retryable: boolean;
  /** Hold claiming this long after the failure (the GPU is busy or out of memory). */
  readonly gpuBusyMs: number;
  /** The engine's server stopped answering: the worker checks its health at once. */
  readonly unreachable: boolean;

  constructor(
    message: string,
    init: { retryable: boolean; gpuBusyMs?: number; unreachable?: boolean },
  ) {
    super(message);
    this.name = 'EngineJobError';
    this.retryable = init.retryable;
    this.gpuBusyMs = init.gpuBusyMs ?? 0;
    this.unreachable = init.unreachable ?? false;
  }
}

/**
 * GPU memory an engine keeps between jobs (a resident model). Its own next job can use it
 * again, so admission counts it as free for that engine's jobs.
 */
export interface HeldVram {
  /** GiB the engine itself says it holds (ComfyUI's torch pool, llama's loaded models). */
  gb: number;
  /** Processes whose GPU memory is the engine's, as nvidia-smi lists them (llama: this one). */
  pids: number[];
}

export const NO_HELD_VRAM: HeldVram = { gb: 0, pids: [] };

export interface Engine {
  readonly name: string;
  capabilities(): EngineCapabilities;
  /**
   * Runs one task. Rejects with a `cannot serve` message for kinds it does not do; honours
   * `signal`; reports how far it is through `job.progress` when it can tell.
   */
  run(model: string, task: Task, signal: AbortSignal, job?: RunContext): Promise<EngineResult>;
  /** Engines backed by a server: whether it answers and what it offers. Never rejects. */
  health?(signal?: AbortSignal): Promise<EngineHealth>;
  /** Engines backed by a server: asks it for its models again, so capabilities() stays synchronous. */
  refresh?(signal?: AbortSignal): Promise<void>;
  /**
   * Engines that keep a model on the GPU: what they hold now, for a job of `model` (the engine
   * that would run it) or, without one, for whichever of its jobs can use the most. Never rejects.
   */
  heldVram?(model?: string, signal?: AbortSignal): Promise<HeldVram>;
}
