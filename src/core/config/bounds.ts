// The range of every duration in config.toml. Each loop has a floor, so no setting can make it
// spin or flood the studio, and every value stays far below Node's timer limit (MAX_TIMER_MS,
// about 24.8 days), past which a timer fires after 1 ms. The window's own keys come from
// src/shared/settings-rules, so the form and the file agree.
import { SETTING_BOUNDS } from '../../shared/settings-rules.js';
import type { ScheduleConfig, WorkerConfig } from './types.js';

export interface Range {
  min: number;
  max: number;
}

const HOUR = 3_600;
const DAY = 86_400;

/**
 * [schedule]: fractions of a second are allowed (a studio on this machine, tests), but no loop
 * may tick faster than its floor.
 */
export const SCHEDULE_BOUNDS: Readonly<Record<keyof ScheduleConfig, Range>> = {
  heartbeat_secs: { min: 0.05, max: HOUR },
  // 0: claim again right after a job (the job itself paces the loop).
  claim_after_job_secs: { min: 0, max: HOUR },
  claim_idle_secs: { min: 0.05, max: HOUR },
  log_flush_secs: { min: 0.05, max: HOUR },
  auto_update_tick_secs: { min: 1, max: DAY },
  backoff_max_secs: { min: 0.1, max: HOUR },
};

type DurationKey =
  | 'job_timeout_secs'
  | 'request_timeout_secs'
  | 'shutdown_grace_secs'
  | 'auto_update_interval_secs'
  | 'presence_hold_secs'
  | 'idle_minutes';

/** The top-level durations. */
export const DURATION_BOUNDS: Readonly<Record<DurationKey & keyof WorkerConfig, Range>> = {
  job_timeout_secs: SETTING_BOUNDS.jobTimeoutSecs,
  // A studio that has not answered in 10 minutes will not; below 1 s even a healthy one misses.
  request_timeout_secs: { min: 1, max: 600 },
  shutdown_grace_secs: { min: 0, max: HOUR },
  auto_update_interval_secs: SETTING_BOUNDS.autoUpdateIntervalSecs,
  presence_hold_secs: { min: 0, max: DAY },
  idle_minutes: { min: 0, max: DAY / 60 },
};
