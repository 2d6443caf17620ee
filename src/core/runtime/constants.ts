// The runtime's fixed numbers. Intervals are the defaults of the config's [schedule] table; the
// live values come from the config through LoopSchedule, so tests can dial them to milliseconds.
import { DEFAULT_SCHEDULE } from '../config/defaults.js';

export const HEARTBEAT_INTERVAL_MS = DEFAULT_SCHEDULE.heartbeat_secs * 1000;
/** Wait before the next claim once the worker is idle after a job: none, it claims at once. */
export const CLAIM_INTERVAL_IDLE_MS = DEFAULT_SCHEDULE.claim_after_job_secs * 1000;
/** Wait after a claim found no job (204) or was skipped. */
export const CLAIM_INTERVAL_AFTER_NULL_MS = DEFAULT_SCHEDULE.claim_idle_secs * 1000;
export const LOG_FLUSH_INTERVAL_MS = DEFAULT_SCHEDULE.log_flush_secs * 1000;
export const AUTO_UPDATE_TICK_MS = DEFAULT_SCHEDULE.auto_update_tick_secs * 1000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = DEFAULT_SCHEDULE.backoff_max_secs * 1000;

export const PROMPT_PREVIEW_CHARS = 200;
export const RECENT_JOBS_CAP = 50;
export const LOG_RING_CAP = 1_000;
export const LOG_QUEUE_CAP = 5_000;
export const LOG_BATCH_MAX = 500;
/** Upload attempts inside one job before the result is left in the spool for a later tick. */
export const UPLOAD_ATTEMPTS = 4;
/**
 * Once a stop's grace period is over, what is still sent to the studio (a failure report, the
 * last log lines) shares this long, so a stop ends within shutdown_grace_secs plus this.
 */
export const STOP_STUDIO_MS = 3_000;
/** A stop request is noticed at least this often, even inside a long wait. */
export const STOP_POLL_MS = 250;
/** Below this much free disk space where results are spooled, no new job is claimed. */
export const SPOOL_MIN_FREE_BYTES = 256 * 1_048_576;
