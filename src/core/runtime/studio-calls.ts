// The studio client the worker's ticks use, rebuilt when api_base_url changes, and the switch that
// ends its calls in flight: a stop cuts every call at once, and once a stop's grace period is over
// what is still sent (a failure report, the last log lines) must end within a deadline.
import type { ConfigStore } from '../config/store.js';
import type { StudioApi } from '../studio/api.js';
import type { Clock } from './clock.js';

/** What the worker hands each studio client, read per call. */
export interface StudioCallLimits {
  /** request_timeout_secs, in ms. */
  timeoutMs(): number;
  /** Aborts when the calls in flight must end now (a stop). */
  signal(): AbortSignal;
}

/** Makes the studio client for a base URL (rebuilt when api_base_url changes). */
export type StudioFactory = (
  baseUrl: string,
  secrets: () => string[],
  limits: StudioCallLimits,
) => StudioApi;

export interface StudioCalls {
  /** The client for the configured api_base_url. */
  studio(): StudioApi;
  /** Ends every studio call in flight now; calls made afterwards start afresh. */
  cut(): void;
  /** From now on every call, those in flight after the next cut() included, ends within `ms`. */
  endAllWithin(ms: number): void;
}

export function createStudioCalls(
  store: ConfigStore,
  studioFor: StudioFactory,
  secrets: () => string[],
  clock: Pick<Clock, 'setTimer'>,
): StudioCalls {
  let calls = new AbortController();
  let deadline: AbortSignal | null = null;
  const limits: StudioCallLimits = {
    timeoutMs: () => store.current().request_timeout_secs * 1000,
    signal: () => (deadline ? AbortSignal.any([calls.signal, deadline]) : calls.signal),
  };
  let client: { baseUrl: string; api: StudioApi } | null = null;
  return {
    studio() {
      const baseUrl = store.current().api_base_url;
      if (!client || client.baseUrl !== baseUrl)
        client = { baseUrl, api: studioFor(baseUrl, secrets, limits) };
      return client.api;
    },
    cut() {
      calls.abort();
      calls = new AbortController();
    },
    endAllWithin(ms) {
      const ends = new AbortController();
      clock.setTimer(() => ends.abort(), ms);
      deadline = ends.signal;
    },
  };
}
