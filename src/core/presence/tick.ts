// presenceTick: ask the OS, apply the rules, pass the result through the hysteresis gate. The
// caller holds or releases claiming with the reason; a running job is never stopped.
import type { Gate } from './hysteresis.js';
import type { PresenceSettings } from './rules.js';
import { presenceReason } from './rules.js';
import type { PresenceSource } from './source.js';

export interface PresenceOutcome {
  /** What the rules say right now. */
  raw: string | null;
  /** What is in force after hysteresis. */
  reason: string | null;
}

export async function presenceTick(deps: {
  settings: PresenceSettings;
  source: PresenceSource;
  gate: Gate;
  now: () => number;
}): Promise<PresenceOutcome> {
  const s = deps.settings;
  // Ask only what an enabled rule needs: listing processes every few seconds is not free.
  const [idleSecs, onBattery, processes] = await Promise.all([
    s.idleMinutes > 0 ? deps.source.idleSeconds().catch(() => null) : null,
    s.pauseOnBattery ? deps.source.onBattery().catch(() => null) : null,
    s.pauseWhenRunning.length > 0 ? deps.source.processes().catch(() => null) : null,
  ]);
  const nowMs = deps.now();
  const raw = presenceReason(s, { now: new Date(nowMs), idleSecs, onBattery, processes });
  return { raw, reason: deps.gate.update(raw, nowMs) };
}
