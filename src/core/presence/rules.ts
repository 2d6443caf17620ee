// Presence rules: when the person at the machine comes first. Each rule looks at what the OS
// says (idle time, power source, running programs, the clock) and yields the reason not to
// claim, shown as "paused: <reason>". Pure: the inputs are passed in.
import type { WeeklyWindow } from './schedule.js';
import { inWindow, parseWindow } from './schedule.js';

export interface PresenceSettings {
  /** Claim only after the user has been idle this many minutes; 0 = off. */
  idleMinutes: number;
  pauseOnBattery: boolean;
  /** Claim only inside these windows; empty = any time. */
  allowedHours: WeeklyWindow[];
  /** Process names (case-insensitive, without .exe) that pause claiming while they run. */
  pauseWhenRunning: string[];
}

export interface PresenceInputs {
  now: Date;
  /** Seconds since the last keyboard/mouse input; null when the OS cannot tell. */
  idleSecs: number | null;
  /** null when unknown (no battery information). */
  onBattery: boolean | null;
  /** Names of running processes; null when they cannot be listed. */
  processes: string[] | null;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.exe$/, '');
}

/** The first rule that holds, as a reason for the status line; null when claiming is fine. */
export function presenceReason(s: PresenceSettings, input: PresenceInputs): string | null {
  if (s.pauseOnBattery && input.onBattery === true) return 'on battery';
  if (s.allowedHours.length > 0 && !s.allowedHours.some((w) => inWindow(w, input.now))) {
    return `outside allowed hours (${s.allowedHours.map((w) => w.text).join(', ')})`;
  }
  if (s.pauseWhenRunning.length > 0 && input.processes) {
    const running = new Set(input.processes.map(normalise));
    const found = s.pauseWhenRunning.find((p) => running.has(normalise(p)));
    if (found) return `${found} is running`;
  }
  // Unknown idle time (a headless box) does not hold the worker back: nobody is sitting there.
  if (s.idleMinutes > 0 && input.idleSecs !== null && input.idleSecs < s.idleMinutes * 60) {
    return `in use: waits until idle for ${s.idleMinutes} min`;
  }
  return null;
}

/** The presence part of the config, as the rules take it (windows already validated there). */
export function presenceSettingsOf(config: {
  idle_minutes: number;
  pause_on_battery: boolean;
  allowed_hours: string[];
  pause_when_running: string[];
}): PresenceSettings {
  return {
    idleMinutes: config.idle_minutes,
    pauseOnBattery: config.pause_on_battery,
    allowedHours: config.allowed_hours.map(parseWindow),
    pauseWhenRunning: config.pause_when_running,
  };
}

export function anyRuleSet(s: PresenceSettings): boolean {
  return (
    s.idleMinutes > 0 ||
    s.pauseOnBattery ||
    s.allowedHours.length > 0 ||
    s.pauseWhenRunning.length > 0
  );
}
