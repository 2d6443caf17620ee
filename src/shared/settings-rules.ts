// The rules for the settings the window edits: core's config schema enforces them, the window
// checks them as the user types. One set of numbers for both.

/**
 * Bounds of the numeric settings (`min`/`max` inclusive, `above` exclusive). Durations stay far
 * below MAX_TIMER_MS: Node fires a longer timer after 1 ms instead.
 */
export const SETTING_BOUNDS = {
  vramThresholdGb: { min: 0 },
  // A week at most: the check is cheap, and auto_update_enabled = false turns it off.
  autoUpdateIntervalSecs: { min: 60, max: 7 * 86_400 },
  // 10 s is shorter than any real model load; a day is longer than any job the studio queues.
  jobTimeoutSecs: { min: 10, max: 86_400 },
} as const;

/** The longest wait a Node timer can hold (2^31 − 1 ms); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

// src/shared is compiled without DOM or Node types; both runtimes have the WHATWG URL class.
declare const URL: new (input: string) => { protocol: string };

/** An absolute http:// or https:// URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
