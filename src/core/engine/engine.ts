// The Engine port: what runs a task on the local GPU (or, for `synthetic`, on the CPU).
import type { EngineHealth, JobProgress, TaskKind } from '../../shared/snapshot.js';
import type { Task } from '../task/task.js';

/** Bytes to upload with `complete` (ext tells the truth about the bytes), or JSON for `complete-json`. */
export type EngineResult =
  { type: 'bytes'; ext: string; data: Uint8Array } | { type: 'json'; value: unknown };

/** Model ids this engine serves, per kind. A kind that is absent is not served. */
export type EngineCapabilities = Partial<Record<TaskKind, string[]>>;

/** How far a running task has got (the snapshot's own shape, so it goes there unchanged). */
export type EngineProgress = JobProgress;

/** What a run may report while it works; every hook is optional. */
export interface RunHooks {
  progress?(progress: EngineProgress): void;
}

export interface Engine {
  readonly name: string;
  capabilities(): EngineCapabilities;
  /** Runs one task. Rejects with a `cannot serve` message for kinds it does not do; honours `signal`. */
  run(model: string, task: Task, signal: AbortSignal, hooks?: RunHooks): Promise<EngineResult>;
  /** Engines backed by a server: whether it answers and what it offers. Never rejects. */
  health?(signal?: AbortSignal): Promise<EngineHealth>;
  /** Engines backed by a server: asks it for its models again, so capabilities() stays synchronous. */
  refresh?(signal?: AbortSignal): Promise<void>;
}
