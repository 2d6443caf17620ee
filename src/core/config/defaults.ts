// Defaults for every setting of config.toml, in the order they are written to the file.
import { DEFAULT_JOB_LIMITS } from '../task/limits.js';
import type { ScheduleConfig, WorkerConfig } from './types.js';

export const DEFAULT_SCHEDULE: Readonly<ScheduleConfig> = Object.freeze({
  heartbeat_secs: 5,
  claim_after_job_secs: 0,
  claim_idle_secs: 5,
  log_flush_secs: 1,
  auto_update_tick_secs: 60,
  backoff_max_secs: 60,
});

/** Defaults for every setting, in the order they are written to config.toml. Frozen: copy it. */
export const DEFAULT_CONFIG: Readonly<WorkerConfig> = Object.freeze({
  api_base_url: 'http://localhost:9790',
  bootstrap_token: 'dev-bootstrap-token',
  worker_id: null,
  auth_token: null,
  vram_threshold_gb: 12.0,
  vram_safety_margin_gb: 1.0,
  vram_min_free_gb: 2.0,
  auto_start: true,
  auto_enabled: true,
  engine: 'synthetic',
  engines: Object.freeze([]) as unknown as Record<string, unknown>[],
  supported_models_override: Object.freeze([]) as unknown as string[],
  auto_update_enabled: true,
  auto_update_interval_secs: 1800,
  auto_update_feed: null,
  auto_update_prerelease: false,
  models_root: null,
  job_timeout_secs: 900,
  request_timeout_secs: 60,
  shutdown_grace_secs: 30,
  spool_dir: null,
  notifications: false,
  log_level: 'info',
  sentry_dsn: null,
  allow_insecure_http: false,
  idle_minutes: 0,
  pause_on_battery: false,
  allowed_hours: Object.freeze([]) as unknown as string[],
  pause_when_running: Object.freeze([]) as unknown as string[],
  presence_hold_secs: 30,
  metrics_listen: null,
  state_dir: null,
  ...DEFAULT_JOB_LIMITS,
  schedule: DEFAULT_SCHEDULE,
});

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): WorkerConfig {
  return {
    ...DEFAULT_CONFIG,
    engines: [],
    supported_models_override: [],
    allowed_hours: [],
    pause_when_running: [],
    schedule: { ...DEFAULT_SCHEDULE },
  };
}

/** The known top-level keys and the known [schedule] keys, in file order. */
export const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof WorkerConfig)[];
export const SCHEDULE_KEYS = Object.keys(DEFAULT_SCHEDULE) as (keyof ScheduleConfig)[];
