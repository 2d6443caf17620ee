// The studio sim: a real local studio on loopback HTTP implementing PROTOCOL.md (registration,
// job queue with leases, result uploads, logs, release feed, status page, fault injection).
// It is the worker's independent peer, so it imports nothing from src/core or src/shared.
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SimContext } from './context.js';
import { createFaultInjector, type FaultPlan, type InjectedFault } from './faults.js';
import { createJobQueue } from './queue.js';
import { checkReleases, type ReleaseInput } from './releases.js';
import { createRequestLog } from './requests.js';
import { closeServer, listen } from './server.js';
import type {
  HeartbeatRecord,
  JobInput,
  JobView,
  LogRecord,
  RequestRecord,
  WorkerView,
} from './views.js';
import { waitFor } from './wait-for.js';
import { createWorkerRegistry } from './workers.js';

export type { FaultKind, FaultPlan, InjectedFault, RouteFaults, StatusFault } from './faults.js';
export type { GithubRelease, GithubReleaseAsset, ReleaseAsset, ReleaseInput } from './releases.js';
export type { RequestRoute, RouteName } from './routes.js';
export type { Capabilities } from './schemas.js';
export type {
  HeartbeatRecord,
  JobEvent,
  JobEventKind,
  JobFailure,
  JobInput,
  JobResult,
  JobState,
  JobView,
  LogRecord,
  RequestRecord,
  WorkerView,
} from './views.js';

export interface StudioSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default "dev-bootstrap-token". */
  bootstrapToken?: string;
  /** A claimed job not completed or failed within this is requeued. Default 10 minutes. */
  leaseMs?: number;
  /** Leases a job may get before a retryable failure or lease expiry fails it for good. Default 3. */
  maxAttempts?: number;
  /** Where uploaded results go. Default: a fresh temp folder, removed again by close(). */
  resultsDir?: string;
  /** Served at GET /updates/<file> (electron-updater's latest*.yml and artifacts). */
  updatesDir?: string;
  faults?: FaultPlan;
  releases?: readonly ReleaseInput[];
  /** The clock for leases and records (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** Receives one line per request; default: silent. */
  log?: (line: string) => void;
  /** Limit for JSON request bodies. Default 1 MiB. */
  maxJsonBytes?: number;
  /** Limit for an uploaded result file (streamed to disk). Default 4 GiB. */
  maxUploadBytes?: number;
}

export interface StudioSim {
  /** e.g. http://127.0.0.1:40123 — no trailing slash; the worker's api_base_url. */
  readonly url: string;
  readonly port: number;
  readonly bootstrapToken: string;
  readonly resultsDir: string;
  /** Adds a job at the back of the queue; returns its id. Throws on an invalid job. */
  enqueue(job: JobInput): string;
  jobs(): JobView[];
  job(jobId: string): JobView | undefined;
  workers(): WorkerView[];
  heartbeats(workerId?: string): HeartbeatRecord[];
  logs(workerId?: string): LogRecord[];
  /** Every request received, in arrival order. */
  requests(): RequestRecord[];
  /** How many faults were injected so far (delays and trickles included). */
  faultsInjected(): number;
  /** Each injected fault: when, on which route, which kind. */
  faultLog(): InjectedFault[];
  /** Replaces the fault plan (undefined: no faults) and restarts its random streams. */
  setFaults(plan: FaultPlan | undefined): void;
  setReleases(list: readonly ReleaseInput[]): void;
  /** Invalidates the worker's token: its calls get 401 until it registers again. */
  revokeWorker(workerId: string): void;
  /** Resolves once `predicate()` holds; rejects after `timeoutMs` (default 5000) or on close. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Calls `listener` after every change of state or finished request; returns unsubscribe. */
  on(event: 'change', listener: () => void): () => void;
  /** Stops the server, ends every open connection, removes the temp results folder if it made one. */
  close(): Promise<void>;
}

const DEFAULT_LEASE_MS = 10 * 60 * 1000;
const DEFAULT_MAX_JSON_BYTES = 1024 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export async function startStudioSim(options: StudioSimOptions = {}): Promise<StudioSim> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? 3;
  if (!(leaseMs > 0)) throw new Error(`studio sim: leaseMs must be > 0 (got ${leaseMs})`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`studio sim: maxAttempts must be an integer >= 1 (got ${maxAttempts})`);
  }
  const now = options.now ?? Date.now;
  const bootstrapToken = options.bootstrapToken ?? 'dev-bootstrap-token';
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const changed = () => void events.emit('change');
  const faults = createFaultInjector(options.faults, now);
  let releases = checkReleases(options.releases ?? []);

  const ownsResultsDir = options.resultsDir === undefined;
  const resultsDir =
    options.resultsDir === undefined
      ? await mkdtemp(join(tmpdir(), 'studio-sim-results-'))
      : resolve(options.resultsDir);
  await mkdir(resultsDir, { recursive: true });

  const queue = createJobQueue({ leaseMs, maxAttempts, now, changed });
  const workers = createWorkerRegistry({ now, changed });
  const requests = createRequestLog(now, changed);
  let url = '';
  const ctx: SimContext = {
    bootstrapToken,
    queue,
    workers,
    releases: () => releases,
    baseUrl: () => url,
    resultsDir,
    updatesDir: options.updatesDir === undefined ? undefined : resolve(options.updatesDir),
    maxJsonBytes: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    now,
  };
  const closing = new AbortController();
  const host = options.host ?? '127.0.0.1';
  const { server, port } = await listen(
    { ctx, faults, requests, log: options.log ?? (() => undefined), signal: closing.signal },
    host,
    options.port ?? 0,
  );
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Leases also expire lazily on every read; the timer makes waitFor and the page see it.
  const sweeper = setInterval(() => queue.sweep(), Math.min(1000, Math.max(10, leaseMs / 4)));
  sweeper.unref();

  let closed: Promise<void> | undefined;
  const sources = {
    onChange: (listener: () => void) => {
      events.on('change', listener);
      return () => void events.off('change', listener);
    },
    onClose: (listener: () => void) => {
      events.on('close', listener);
      return () => void events.off('close', listener);
    },
  };

  return {
    url,
    port,
    bootstrapToken,
    resultsDir,
    enqueue: (job) => queue.enqueue(job),
    jobs: () => queue.list(),
    job: (jobId) => queue.get(jobId),
    workers: () => workers.list(),
    heartbeats: (workerId) => workers.heartbeats(workerId),
    logs: (workerId) => workers.logs(workerId),
    requests: () => requests.list(),
    faultsInjected: () => faults.count(),
    faultLog: () => faults.log(),
    setFaults: (plan) => faults.setPlan(plan),
    setReleases: (list) => {
      releases = checkReleases(list);
      changed();
    },
    revokeWorker: (workerId) => workers.revoke(workerId),
    waitFor: (predicate, timeoutMs = 5000) => waitFor(sources, predicate, timeoutMs),
    on: (_event, listener) => sources.onChange(listener),
    close: () => {
      closed ??= (async () => {
        clearInterval(sweeper);
        closing.abort();
        events.emit('close');
        await closeServer(server);
        if (ownsResultsDir) await rm(resultsDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
