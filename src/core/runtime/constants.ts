// The runtime's fixed numbers: those no config key sets. The loops' intervals are not here: they
// come from the config's [schedule] table (defaults in config/defaults.ts) through LoopSchedule.

/** The first retry's backoff (backoff_max_secs caps the growth; a smaller cap lowers this too). */
export const BACKOFF_BASE_MS = 500;

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
/** Below this much free disk space where results are spooled, no new job is claimed. */
export const SPOOL_MIN_FREE_BYTES = 256 * 1_048_576;
