// The rules for the settings the window edits: core's config schema enforces them, the window
// checks them as the user types. One set of numbers for both.

/** Lower bounds of the numeric settings (`min` inclusive, `above` exclusive). */
export const SETTING_BOUNDS = {
  vramThresholdGb: { min: 0 },
  autoUpdateIntervalSecs: { min: 60 },
  jobTimeoutSecs: { above: 0 },
} as const;

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
