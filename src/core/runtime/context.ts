// What the ticks share: the worker's ports and state, passed in as one object so a test can
// build it with a real studio-sim client, a synthetic engine and a temp-dir spool.
import type { WorkerConfig } from '../config/types.js';
import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../host/host.js';
import type { Credentials, StudioApi } from '../studio/api.js';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { LoopActivity } from './loop-activity.js';
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
  /** Why claiming is held, by source ('snooze', 'presence', 'spool', …); see Worker.hold. */
  readonly holds: ReadonlyMap<string, string>;
  /** The first held reason (what the status shows), or null: read from the holds (holds.ts). */
  readonly pausedReason: string | null;
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
  /** Holds (reason) or releases (null) claiming for a named source, for `forMs` if given. */
  hold(source: string, reason: string | null, forMs?: number): void;
  /** Free disk space the spool needs before a new job is claimed. */
  spoolMinFreeBytes: number;
  /** Records each loop's phases and outcomes (health and metrics); optional for tests. */
  loopActivity?: LoopActivity;
}

export function credentialsOf(config: WorkerConfig): Credentials | null {
  return config.worker_id && config.auth_token
    ? { workerId: config.worker_id, authToken: config.auth_token }
    : null;
}
