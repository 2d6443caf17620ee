// The worker's settings: the typed form of config.toml (snake_case keys on disk, see validation.ts).
import type { LogLevel } from '../../shared/snapshot.js';

export interface ScheduleConfig {
  heartbeat_secs: number;
  claim_after_job_secs: number;
  claim_idle_secs: number;
  log_flush_secs: number;
  auto_update_tick_secs: number;
  backoff_max_secs: number;
}

export interface WorkerConfig {
  api_base_url: string;
  bootstrap_token: string;
  worker_id: string | null;
  auth_token: string | null;
  vram_threshold_gb: number;
  /** VRAM kept free beyond a job's estimate when admitting work (GiB). */
  vram_safety_margin_gb: number;
  /** Below this much usable free VRAM (free − margin, GiB) the worker stops claiming. */
  vram_min_free_gb: number;
  auto_start: boolean;
  auto_enabled: boolean;
  engine: string;
  /** Engine sections for `multi` and the real engines (free-form tables, validated by each engine). */
  engines: Record<string, unknown>[];
  supported_models_override: string[];
  auto_update_enabled: boolean;
  auto_update_interval_secs: number;
  auto_update_feed: string | null;
  auto_update_prerelease: boolean;
  models_root: string | null;
  job_timeout_secs: number;
  /** The whole of one studio call (connect, send, answer); uploads get more per byte sent. */
  request_timeout_secs: number;
  /** How long a running job may keep going after SIGINT/SIGTERM or a quit. */
  shutdown_grace_secs: number;
  /** Where finished results wait until the studio acknowledges them; default: next to the config. */
  spool_dir: string | null;
  /** Desktop app: system notifications for a failed job, rejected credentials, a ready update. */
  notifications: boolean;
  /** Desktop app: the least severe level its log file keeps. */
  log_level: LogLevel;
  /** Desktop app: where error reports go (a Sentry DSN); none when left out. $SENTRY_DSN wins. */
  sentry_dsn: string | null;
  /** Lets api_base_url use plain http to a host other than this machine (not recommended). */
  allow_insecure_http: boolean;
  /** Presence: claim only after nobody has used the machine for this many minutes; 0 = off. */
  idle_minutes: number;
  /** Presence: no new jobs while the machine runs on battery. */
  pause_on_battery: boolean;
  /** Presence: claim only inside these weekly windows ("mon-fri 18:00-08:00"); empty = any time. */
  allowed_hours: string[];
  /** Presence: no new jobs while one of these programs runs (games, editors). */
  pause_when_running: string[];
  /** Presence: how long a rule must hold before it pauses or resumes claiming (no flapping). */
  presence_hold_secs: number;
  /** Serve /healthz, /readyz and /metrics on this "host:port" (e.g. "127.0.0.1:9464"); none = off. */
  metrics_listen: string | null;
  /** Fleets: a folder (a volume) holding the worker id and token and, by default, the spool. */
  state_dir: string | null;
  /** How much one job may ask of this machine (task/limits.ts); beyond it, failed retryable. */
  max_prompt_chars: number;
  max_message_chars: number;
  max_messages: number;
  max_image_side: number;
  max_steps: number;
  max_llm_tokens: number;
  max_video_secs: number;
  schedule: ScheduleConfig;
}

/** Keys whose values are secrets: never logged, shown, snapshotted or reported. */
export const SECRET_KEYS = ['bootstrap_token', 'auth_token'] as const;
