// The state of a worker as the UI sees it: one immutable, JSON-serialisable tree with no secrets.
// Built by core's WorkerObservers, pushed whole to the window (IPC or the web bridge).

/** Job kinds in their canonical order (the order of `taskKinds` in capabilities). */
export const TASK_KINDS = ['image', 'llm', 'audio_stt', 'audio_tts', 'video'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export type LogLevel = 'info' | 'warn' | 'error';

/** One log line, in the wire shape of PROTOCOL.md (`ts` is RFC 3339 UTC with milliseconds). */
export interface LogEntry {
  ts: string;
  level: LogLevel;
  category: string;
  message: string;
  jobId?: string;
}

/** How far the running job is, as its engine reports it (sampler steps, tokens). */
export interface JobProgress {
  done: number;
  /** null when the engine cannot tell how many there will be. */
  total: number | null;
  /** What is counted: `steps`, `tokens`. */
  unit: string;
  /** What runs now (`KSampler (node 3)`, `queued in ComfyUI, 2 ahead`), or null. */
  stage: string | null;
  /** When the engine last reported (ISO). */
  updatedAt: string;
}

export interface CurrentJob {
  id: string;
  kind: TaskKind;
  model: string;
  /** The job's prompt cut to PROMPT_PREVIEW_CHARS characters (then `…`). */
  promptPreview: string;
  startedAt: string;
  /** Absent until the engine reports progress (engines that cannot tell never do). */
  progress?: JobProgress;
}

export type RecentJobOutcome =
  | { kind: 'completed' }
  | { kind: 'failed'; error: string; retryable: boolean }
  /** Finished but the upload has not been acknowledged yet: the result waits in the spool. */
  | { kind: 'spooled'; error: string };

export interface RecentJob extends CurrentJob {
  finishedAt: string;
  durationMs: number;
  outcome: RecentJobOutcome;
}

export type HeartbeatOutcome =
  | { kind: 'ok' }
  | { kind: 'skipped'; reason: 'unregistered' | 'stopping' }
  | { kind: 'error'; message: string; transient: boolean; credentialsRejected: boolean };

export interface HeartbeatStatus {
  attemptedAt: string;
  outcome: HeartbeatOutcome;
}

export type RegistrationState =
  | { kind: 'unregistered' }
  | { kind: 'registering' }
  | { kind: 'registered'; workerId: string }
  | { kind: 'credentials-rejected'; workerId?: string; message: string };

export type ConnectionState =
  { kind: 'unknown' } | { kind: 'online' } | { kind: 'offline'; reason: string };

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'disabled' }
  | { kind: 'up-to-date'; checkedAt: string }
  | { kind: 'available'; version: string; url?: string; checkedAt: string }
  | { kind: 'downloading'; version: string }
  | { kind: 'ready'; version: string }
  | { kind: 'error'; message: string; checkedAt: string };

export interface JobCounters {
  /** Local calendar day the counters belong to (YYYY-MM-DD). */
  day: string;
  completed: number;
  failed: number;
}

/** One GPU as the host probes measured it; null where the tool could not tell. */
export interface GpuInfo {
  index: number;
  name: string;
  vramTotalGb: number | null;
  vramUsedGb: number | null;
  vramFreeGb: number | null;
  utilizationPercent: number | null;
  driverVersion: string | null;
  /** Which probe found it: nvidia-smi, nvidia-proc, amd-sysfs, rocm-smi, macos, windows. */
  source: string;
  /**
   * True when the GPU has no memory of its own and shares the machine's RAM (Apple Silicon, an
   * integrated GPU): vramTotalGb is then the RAM it may use, not dedicated VRAM.
   */
  unifiedMemory?: boolean;
}

/** A device an engine's server says it runs on (ComfyUI's /system_stats). */
export interface EngineDevice {
  name: string;
  /** GiB, or null when the server does not say. */
  vramTotalGb: number | null;
  vramFreeGb: number | null;
}

/** Whether the configured engine's server answers, and what it offers. */
export interface EngineHealth {
  reachable: boolean;
  models: string[];
  error: string | null;
  checkedAt: string;
  /** The devices the engine's server reports, where it reports them. */
  devices?: EngineDevice[];
  /** Engines that compute in this process (llama): CUDA, Vulkan, Metal or CPU. */
  backend?: string;
  /** GiB of GPU memory each model needs (weights and context), read from its file. */
  modelVramGb?: Record<string, number>;
}

/** The editable settings as the window shows them. Secrets are never included, only whether
 * they are set. */
export interface SettingsView {
  apiBaseUrl: string;
  hasBootstrapToken: boolean;
  vramThresholdGb: number;
  enabled: boolean;
  autoStart: boolean;
  autoUpdateEnabled: boolean;
  autoUpdateIntervalSecs: number;
  autoUpdatePrerelease: boolean;
  engine: string;
  jobTimeoutSecs: number;
}

export interface WorkerSnapshot {
  agentVersion: string;
  apiBaseUrl: string;
  configPath: string;
  engine: string;
  registration: RegistrationState;
  connection: ConnectionState;
  /** `auto_enabled` from the config: the user's on/off switch for claiming. */
  enabled: boolean;
  /** Why the worker is not claiming right now, or null when it would claim. */
  pausedReason: string | null;
  draining: boolean;
  stopping: boolean;
  /**
   * The threshold advertised to the studio: the configured one (settings.vramThresholdGb),
   * lowered to the free VRAM less the safety margin when the GPU probes can measure it.
   */
  vramThresholdGb: number;
  vramTotalGb: number;
  currentJob: CurrentJob | null;
  recentJobs: RecentJob[];
  lastHeartbeat: HeartbeatStatus | null;
  logs: LogEntry[];
  lastError: string | null;
  /** When lastError was recorded (ISO); null or absent when there is none. */
  lastErrorAt?: string | null;
  update: UpdateState;
  spool: { count: number; bytes: number };
  counters: JobCounters;
  logsDropped: number;
  gpus: GpuInfo[];
  engineHealth: EngineHealth | null;
  /** Claiming is snoozed until this time (ISO), or null. */
  snoozedUntil: string | null;
  settings: SettingsView;
  /**
   * Which headline state (src/shared/health.ts `headlineKey`) the observers last saw and when it
   * began. Absent in snapshots no observer built; read it through `healthOf`.
   */
  headline?: { key: string; since: string };
}
