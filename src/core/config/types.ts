// The worker's settings: the typed form of config.toml (snake_case keys on disk, see schema.ts).

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
  /** How long a running job may keep going after SIGINT/SIGTERM or a quit. */
  shutdown_grace_secs: number;
  /** Where finished results wait until the studio acknowledges them; default: next to the config. */
  spool_dir: string | null;
  schedule: ScheduleConfig;
}

/** Keys whose values are secrets: never logged, shown, snapshotted or reported. */
export const SECRET_KEYS = ['bootstrap_token', 'auth_token'] as const;
