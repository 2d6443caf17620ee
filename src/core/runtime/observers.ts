// WorkerObservers: the slots the ticks write into and the UI reads — current job, recent jobs,
// last heartbeat, the log ring and the rest of WorkerSnapshot. snapshot() is cheap (cached
// until the next change) and holds no secrets; subscribers hear about every change.
import type {
  ConnectionState,
  CurrentJob,
  HeartbeatStatus,
  JobProgress,
  LogEntry,
  RecentJob,
  RegistrationState,
  UpdateState,
  WorkerSnapshot,
} from '../../shared/snapshot.js';
import { BoundedDeque } from './bounded-deque.js';
import { headlineKey, headlineOf } from '../../shared/health.js';
import { LOG_RING_CAP, PROMPT_PREVIEW_CHARS, RECENT_JOBS_CAP } from './constants.js';

/** The first PROMPT_PREVIEW_CHARS characters (code points, not UTF-16 units), then `…`. */
export function promptPreview(prompt: string, max = PROMPT_PREVIEW_CHARS): string {
  const chars = Array.from(prompt);
  return chars.length <= max ? prompt : chars.slice(0, max).join('') + '…';
}

/** A fixed-size ring, newest first. */
export class Ring<T> {
  private readonly items: BoundedDeque<T>;
  constructor(readonly cap: number) {
    this.items = new BoundedDeque(cap);
  }
  push(item: T): void {
    this.items.pushBack(item);
  }
  toArray(): T[] {
    return this.items.toArray().reverse();
  }
  get size(): number {
    return this.items.size;
  }
}

type Mutable = Omit<
  WorkerSnapshot,
  'currentJob' | 'recentJobs' | 'logs' | 'logsDropped' | 'headline'
>;

export type ObserverListener = () => void;

export class WorkerObservers {
  private state: Mutable;
  private current: CurrentJob | null = null;
  private readonly recent = new Ring<RecentJob>(RECENT_JOBS_CAP);
  /** Kept oldest first (a log reads top to bottom); capped at LOG_RING_CAP. */
  private readonly logRing = new BoundedDeque<LogEntry>(LOG_RING_CAP);
  private logsDropped = 0;
  private cached: WorkerSnapshot | null = null;
  private readonly listeners = new Set<ObserverListener>();
  /** The headline state and when it began: tracked here, where every change passes. */
  private headline: { key: string; since: string };

  constructor(
    init: Pick<WorkerSnapshot, 'agentVersion' | 'apiBaseUrl' | 'configPath' | 'engine'> &
      Partial<Mutable>,
    private readonly localDay: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.state = {
      registration: { kind: 'unregistered' },
      connection: { kind: 'unknown' },
      enabled: true,
      pausedReason: null,
      draining: false,
      stopping: false,
      vramThresholdGb: 0,
      vramTotalGb: 0,
      lastHeartbeat: null,
      lastError: null,
      lastErrorAt: null,
      update: { kind: 'idle' },
      spool: { count: 0, bytes: 0 },
      counters: { day: localDay(), completed: 0, failed: 0 },
      gpus: [],
      engineHealth: null,
      snoozedUntil: null,
      settings: {
        apiBaseUrl: init.apiBaseUrl,
        hasBootstrapToken: false,
        vramThresholdGb: 0,
        enabled: true,
        autoStart: true,
        autoUpdateEnabled: true,
        autoUpdateIntervalSecs: 0,
        autoUpdatePrerelease: false,
        engine: init.engine,
        jobTimeoutSecs: 0,
      },
      ...init,
    };
    this.headline = { key: '', since: new Date(this.now()).toISOString() };
    this.trackHeadline();
  }

  subscribe(listener: ObserverListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many subscribers are listening (a test checks that everyone unsubscribed). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  snapshot(): WorkerSnapshot {
    if (!this.cached) {
      this.cached = {
        ...this.state,
        currentJob: this.current,
        recentJobs: this.recent.toArray(),
        logs: this.logRing.toArray(),
        logsDropped: this.logsDropped,
        headline: this.headline,
      };
    }
    return this.cached;
  }

  /** Merges plain fields (registration, connection, flags, update state, …). */
  set(patch: Partial<Mutable>): void {
    let changed = false;
    for (const [key, value] of Object.entries(patch) as [keyof Mutable, unknown][]) {
      if (!sameValue(this.state[key], value)) changed = true;
    }
    if (!changed) return;
    const next = { ...this.state, ...patch };
    // The last error carries the time it happened, and goes when a call succeeds again.
    if ('lastError' in patch && patch.lastError !== this.state.lastError)
      next.lastErrorAt = patch.lastError ? new Date(this.now()).toISOString() : null;
    this.state = next;
    this.changed();
  }

  get registration(): RegistrationState {
    return this.state.registration;
  }
  get connection(): ConnectionState {
    return this.state.connection;
  }
  get update(): UpdateState {
    return this.state.update;
  }
  get currentJob(): CurrentJob | null {
    return this.current;
  }

  jobStarted(job: CurrentJob): void {
    this.current = job;
    this.changed();
  }

  /** The running job's progress, as its engine reports it; ignored for a job that is not running. */
  jobProgress(jobId: string, progress: JobProgress): void {
    if (this.current?.id !== jobId) return;
    if (sameValue(this.current.progress, progress)) return;
    this.current = { ...this.current, progress };
    this.changed();
  }

  jobFinished(job: RecentJob): void {
    this.current = null;
    this.recent.push(job);
    const counters = this.rolledCounters();
    if (job.outcome.kind === 'completed') counters.completed += 1;
    if (job.outcome.kind === 'failed') counters.failed += 1;
    this.state = { ...this.state, counters };
    this.changed();
  }

  heartbeat(status: HeartbeatStatus): void {
    this.state = { ...this.state, lastHeartbeat: status };
    this.changed();
  }

  addLog(entry: LogEntry): void {
    // At the cap the oldest line gives way in O(1) (no shift of the whole ring per line).
    this.logRing.pushBack(entry);
    this.changed();
  }

  setLogsDropped(count: number): void {
    if (count === this.logsDropped) return;
    this.logsDropped = count;
    this.changed();
  }

  /** Starts the headline's clock when its state (not just its wording) changes. */
  private trackHeadline(): void {
    const key = headlineKey(headlineOf(this.snapshot()));
    if (key === this.headline.key) return;
    this.headline = { key, since: new Date(this.now()).toISOString() };
    this.cached = null;
  }

  /** Counters are per local day: a new day starts from zero. */
  private rolledCounters() {
    const day = this.localDay();
    return this.state.counters.day === day
      ? { ...this.state.counters }
      : { day, completed: 0, failed: 0 };
  }

  private changed(): void {
    this.cached = null;
    this.trackHeadline();
    for (const listener of this.listeners) listener();
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
