// The runtime's fixed numbers. Intervals are defaults; the live values come from the config's
// [schedule] table through LoopSchedule, so tests can dial them down to milliseconds.

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Wait before the next claim after a job: none, the next job starts at once. */
export const CLAIM_INTERVAL_IDLE_MS = 0;
/** Wait after a claim found no job (204) or was skipped. */
export const CLAIM_INTERVAL_AFTER_NULL_MS = 5_000;
export const LOG_FLUSH_INTERVAL_MS = 1_000;
export const AUTO_UPDATE_TICK_MS = 60_000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 60_000;

export const PROMPT_PREVIEW_CHARS = 200;
export const RECENT_JOBS_CAP = 50;
export const LOG_RING_CAP = 1_000;
export const LOG_QUEUE_CAP = 5_000;
export const LOG_BATCH_MAX = 500;
/** Upload attempts inside one job before the result is left in the spool for a later tick. */
export const UPLOAD_ATTEMPTS = 4;
/** A stop request is noticed at least this often, even inside a long wait. */
export const STOP_POLL_MS = 250;
