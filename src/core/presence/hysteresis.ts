// Hysteresis for presence: a change (pause or resume) takes effect only after the new state has
// held for `holdMs`, so a mouse twitch or a short game launch does not make the worker flap.

export interface Gate {
  /** The reason in force now (null = claiming allowed). */
  readonly current: string | null;
  /** Feeds the latest raw reason; returns the reason in force after it. */
  update(raw: string | null, nowMs: number): string | null;
}

/** `holdMs` may be a function, so a changed setting applies to the next update. */
export function createGate(holdMs: number | (() => number), initial: string | null = null): Gate {
  const hold = typeof holdMs === 'function' ? holdMs : () => holdMs;
  let current = initial;
  let pending: { paused: boolean; since: number } | null = null;
  return {
    get current() {
      return current;
    },
    update(raw, nowMs) {
      const paused = raw !== null;
      if (paused === (current !== null)) {
        // Same side as now: keep the newest wording, forget any pending flip.
        pending = null;
        if (paused) current = raw;
        return current;
      }
      if (!pending || pending.paused !== paused) pending = { paused, since: nowMs };
      if (nowMs - pending.since >= hold()) {
        current = raw;
        pending = null;
      }
      return current;
    },
  };
}
