// LoopSchedule: how long each loop waits between ticks, built from the config's [schedule].
import type { WorkerConfig } from '../config/types.js';
import { backoffDelayMs } from '../studio/backoff.js';
import { BACKOFF_BASE_MS } from './constants.js';

export interface LoopSchedule {
  heartbeatMs: number;
  claimAfterJobMs: number;
  claimIdleMs: number;
  logFlushMs: number;
  autoUpdateTickMs: number;
  /** Minimum time between two update checks (auto_update_interval_secs). */
  autoUpdateIntervalMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export function scheduleFromConfig(config: WorkerConfig): LoopSchedule {
  const s = config.schedule;
  const backoffMaxMs = s.backoff_max_secs * 1000;
  return {
    heartbeatMs: s.heartbeat_secs * 1000,
    claimAfterJobMs: s.claim_after_job_secs * 1000,
    claimIdleMs: s.claim_idle_secs * 1000,
    logFlushMs: s.log_flush_secs * 1000,
    autoUpdateTickMs: s.auto_update_tick_secs * 1000,
    autoUpdateIntervalMs: config.auto_update_interval_secs * 1000,
    // A schedule dialled down for tests gets a proportionally small base.
    backoffBaseMs: Math.min(BACKOFF_BASE_MS, backoffMaxMs),
    backoffMaxMs,
  };
}

/** The wait before retry number `attempt` (0-based) under this schedule's backoff. */
export function backoffFor(
  schedule: LoopSchedule,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  return backoffDelayMs({
    attempt,
    baseMs: schedule.backoffBaseMs,
    maxMs: schedule.backoffMaxMs,
    retryAfterMs,
    random,
  });
}

/**
 * The wait after a tick threw (a bug, not a studio failure): the same backoff, but never shorter
 * than its base, so a tick that throws at once cannot spin its loop and flood the log.
 */
export function delayAfterThrow(
  schedule: LoopSchedule,
  throwsInARow: number,
  random: () => number,
): number {
  return Math.max(schedule.backoffBaseMs, backoffFor(schedule, throwsInARow, random));
}
