// What the ticks share: the worker's ports and state, passed in as one object so a test can
// build it with a real studio-sim client, a synthetic engine and a temp-dir spool.
import type { WorkerConfig } from '../config/types.js';
import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../host/host.js';
import type { Credentials, StudioApi } from '../studio/api.js';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { LogQueue } from './log-queue.js';
import type { WorkerObservers } from './observers.js';
import type { LoopSchedule } from './schedule.js';
import type { Spool } from './spool.js';

/** Lifecycle flags the ticks read; set by the Worker. */
export interface RunFlags {
  /** Updating: finish the running job, claim nothing new. */
  draining: boolean;
  /** Quitting: same as draining, and the loops end once the job is done. */
  stopping: boolean;
  /** Reason from presence/admission rules for not claiming now, or null. */
  pausedReason: string | null;
}

export interface TickContext {
  config(): WorkerConfig;
  studio(): StudioApi;
  engine: Engine;
  host: HostProbe;
  clock: Clock;
  observers: WorkerObservers;
  log: Logger;
  logQueue: LogQueue;
  spool: Spool;
  schedule(): LoopSchedule;
  agentVersion: string;
  flags: RunFlags;
  /** Aborted only when a stop's grace period runs out: ends the running job and upload retries. */
  killSignal: AbortSignal;
  random: () => number;
}

export function credentialsOf(config: WorkerConfig): Credentials | null {
  return config.worker_id && config.auth_token
    ? { workerId: config.worker_id, authToken: config.auth_token }
    : null;
}
