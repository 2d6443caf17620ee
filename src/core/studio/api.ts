// The StudioApi port: the seven routes of PROTOCOL.md as typed calls. `client.ts` implements it
// over undici; tests may drive the runtime with the real client against studio-sim.
import type { LogEntry, TaskKind } from '../../shared/snapshot.js';
import type { ClaimedJob } from '../task/task.js';

/** Sent on register and on every heartbeat (PROTOCOL.md, "Capabilities"). */
export interface Capabilities {
  machineName: string;
  username: string;
  agentVersion: string;
  engine: string;
  vramTotalGb: number;
  vramThresholdGb: number;
  autoEnabled: boolean;
  autoStart: boolean;
  supportedModels: string[];
  taskKinds: TaskKind[];
  supportedModelsPerKind: Partial<Record<TaskKind, string[]>>;
}

export interface Credentials {
  workerId: string;
  authToken: string;
}

export type StudioOp =
  'register' | 'heartbeat' | 'claim' | 'complete' | 'complete-json' | 'fail' | 'log ship';

export type ClaimResponse = { kind: 'none' } | { kind: 'job'; job: ClaimedJob };

export interface StudioApi {
  readonly baseUrl: string;
  register(body: {
    bootstrapToken: string;
    capabilities: Capabilities;
    workerId?: string;
  }): Promise<Credentials>;
  heartbeat(
    creds: Credentials,
    body: { capabilities: Capabilities; currentJobId?: string },
  ): Promise<void>;
  /** Rejects with a StudioError of kind `malformed` (with `jobId` when readable) on a bad 200 body. */
  claim(creds: Credentials): Promise<ClaimResponse>;
  /** Streams the file from disk as the multipart part `image` named `<jobId>.<ext>`. */
  complete(
    creds: Credentials,
    jobId: string,
    body: { prompt: string; ext: string; filePath: string },
  ): Promise<void>;
  completeJson(
    creds: Credentials,
    jobId: string,
    body: { prompt: string; result: unknown },
  ): Promise<void>;
  fail(
    creds: Credentials,
    jobId: string,
    body: { error: string; retryable: boolean },
  ): Promise<void>;
  shipLogs(creds: Credentials, entries: LogEntry[]): Promise<void>;
}
