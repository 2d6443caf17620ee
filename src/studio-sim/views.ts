// The public shapes of what the sim holds and records: jobs, workers, heartbeats, log lines and
// requests. Every view handed out is a copy; changing it never changes the sim.
import type { FaultKind } from './faults.js';
import type { RequestRoute } from './routes.js';
import type { Capabilities } from './schemas.js';

export interface JobInput {
  model: string;
  /** Default 1. */
  vramGbEstimate?: number;
  /** Legacy top-level image prompt. Default "". */
  prompt?: string;
  /** Legacy top-level image extension. Default "webp". */
  ext?: string;
  /** Sent verbatim as the claim's `task` field (a JSON object); omitted when absent. */
  task?: object;
  /** Default "game-sim". */
  gameId?: string;
  /** Default "asset-<n>". */
  assetName?: string;
  /** Default "job-<n>". Letters, digits and `._~-` only, since it travels in URL paths. */
  jobId?: string;
}

export type JobState = 'queued' | 'leased' | 'completed' | 'failed';

export type JobResult =
  | {
      kind: 'file';
      /** Where the sim stored the uploaded bytes. */
      path: string;
      ext: string;
      prompt: string;
      bytes: number;
      contentType: string;
      /** The file part's filename as uploaded. */
      filename: string;
    }
  | { kind: 'json'; value: unknown; prompt: string };

export interface JobFailure {
  error: string;
  retryable: boolean;
}

export type JobEventKind =
  | 'enqueued'
  | 'leased'
  | 'lease-expired'
  | 'fail-reported'
  | 'requeued'
  | 'completed'
  | 'failed'
  | 'completion-rejected';

export interface JobEvent {
  at: number;
  kind: JobEventKind;
  workerId?: string;
  detail?: string;
}

export interface JobView {
  jobId: string;
  gameId: string;
  assetName: string;
  model: string;
  vramGbEstimate: number;
  prompt: string;
  ext: string;
  task?: Record<string, unknown>;
  state: JobState;
  /** How many times the job was leased (claimed). */
  attempts: number;
  /** The lease holder while leased; afterwards the worker that completed or last failed it. */
  workerId?: string;
  leaseExpiresAt?: number;
  result?: JobResult;
  /** The last failure reported (or the lease expiry that failed the job for good). */
  error?: JobFailure;
  /** How many completions were accepted: 0 or 1, never more. */
  completions: number;
  enqueuedAt: number;
  history: JobEvent[];
}

export interface WorkerView {
  workerId: string;
  machineName: string;
  /** The latest capabilities, from register or the latest heartbeat. */
  capabilities: Capabilities;
  registeredAt: number;
  /** 1 on first registration, +1 per re-registration with the same workerId. */
  registrations: number;
  lastHeartbeatAt?: number;
  currentJobId?: string;
  revoked: boolean;
}

export interface HeartbeatRecord {
  workerId: string;
  at: number;
  capabilities: Capabilities;
  currentJobId?: string;
}

export interface LogRecord {
  workerId: string;
  receivedAt: number;
  ts: string;
  level: 'info' | 'warn' | 'error';
  category: string;
  message: string;
  jobId?: string;
}

export interface RequestRecord {
  /** 1-based arrival order. */
  seq: number;
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  route: RequestRoute;
  /** The status sent, or null while unanswered and when no response was sent at all. */
  status: number | null;
  /** The injected fault that decided the answer, if any (a delay is listed in faultLog()). */
  fault?: FaultKind;
  durationMs?: number;
}
