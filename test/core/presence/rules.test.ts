import { describe, expect, it } from 'vitest';
import { createGate } from '../../../src/core/presence/hysteresis.js';
import type { PresenceInputs, PresenceSettings } from '../../../src/core/presence/rules.js';
import { presenceReason } from '../../../src/core/presence/rules.js';
import { inWindow, parseWindow } from '../../../src/core/presence/schedule.js';

const off: PresenceSettings = {
  idleMinutes: 0,
  pauseOnBattery: false,
  allowedHours: [],
  pauseWhenRunning: [],
};
// Wednesday 2026-11-25, local time.
const at = (hh: number, mm = 0, day = 25) => new Date(2026, 10, day, hh, mm);
const input = (patch: Partial<PresenceInputs> = {}): PresenceInputs => ({
  now: at(12),
  idleSecs: null,
  onBattery: null,
  processes: null,
  ...patch,
});

describe('presence rules', () => {
  it('let the worker claim when no rule is set', () => {
    expect(
      presenceReason(off, input({ onBattery: true, idleSecs: 0, processes: ['game'] })),
    ).toBeNull();
  });

  it('pause on battery when asked to', () => {
    const s = { ...off, pauseOnBattery: true };
    expect(presenceReason(s, input({ onBattery: true }))).toBe('on battery');
    expect(presenceReason(s, input({ onBattery: false }))).toBeNull();
    expect(presenceReason(s, input({ onBattery: null }))).toBeNull();
  });

  it('wait until the user has been idle long enough', () => {
    const s = { ...off, idleMinutes: 10 };
    expect(presenceReason(s, input({ idleSecs: 120 }))).toBe('in use: waits until idle for 10 min');
    expect(presenceReason(s, input({ idleSecs: 600 }))).toBeNull();
  });

  it('do not hold back a machine whose idle time is unknown', () => {
    expect(presenceReason({ ...off, idleMinutes: 10 }, input({ idleSecs: null }))).toBeNull();
  });

  it('pause while a listed program runs, ignoring case and .exe', () => {
    const s = { ...off, pauseWhenRunning: ['Blender', 'eldenring.exe'] };
    expect(presenceReason(s, input({ processes: ['bash', 'blender'] }))).toBe('Blender is running');
    expect(presenceReason(s, input({ processes: ['EldenRing.exe'] }))).toBe(
      'eldenring.exe is running',
    );
    expect(presenceReason(s, input({ processes: ['bash'] }))).toBeNull();
  });

  it('claim only inside the allowed hours', () => {
    const s = { ...off, allowedHours: [parseWindow('mon-fri 18:00-08:00')] };
    expect(presenceReason(s, input({ now: at(12) }))).toBe(
      'outside allowed hours (mon-fri 18:00-08:00)',
    );
    expect(presenceReason(s, input({ now: at(22) }))).toBeNull();
    expect(presenceReason(s, input({ now: at(7, 59) }))).toBeNull();
  });
});

describe('weekly windows', () => {
  it('include the start and exclude the end', () => {
    const w = parseWindow('wed 09:00-17:00');
    expect(inWindow(w, at(9))).toBe(true);
    expect(inWindow(w, at(16, 59))).toBe(true);
    expect(inWindow(w, at(17))).toBe(false);
  });

  it('carry a window across midnight into the next morning', () => {
    const fri = parseWindow('fri 22:00-06:00');
    expect(inWindow(fri, at(23, 0, 27))).toBe(true); // Friday night
    expect(inWindow(fri, at(5, 0, 28))).toBe(true); // Saturday morning
    expect(inWindow(fri, at(5, 0, 27))).toBe(false); // Friday morning belongs to Thursday
  });

  it('accept day lists and ranges that wrap the week', () => {
    expect(parseWindow('sat,sun 00:00-24:00').days).toEqual([0, 6]);
    expect(parseWindow('fri-mon 10:00-11:00').days).toEqual([0, 1, 5, 6]);
  });

  it('reject bad input with the expected form', () => {
    expect(() => parseWindow('weekdays 9-5')).toThrow('expected "<days> HH:MM-HH:MM"');
    expect(() => parseWindow('mon-fry 09:00-10:00')).toThrow('unknown day "mon-fry"');
    expect(() => parseWindow('mon 25:00-26:00')).toThrow('"25:00" is not a time');
  });
});

describe('hysteresis gate', () => {
  it('pauses only after the reason has held for the hold time', () => {
    const gate = createGate(30_000);
    expect(gate.update('on battery', 0)).toBeNull();
    expect(gate.update('on battery', 29_999)).toBeNull();
    expect(gate.update('on battery', 30_000)).toBe('on battery');
  });

  it('resumes only after the reason has been gone for the hold time', () => {
    const gate = createGate(30_000, 'on battery');
    expect(gate.update(null, 0)).toBe('on battery');
    expect(gate.update(null, 20_000)).toBe('on battery');
    expect(gate.update(null, 30_000)).toBeNull();
  });

  it('does not flap when the raw state flickers faster than the hold time', () => {
    const gate = createGate(10_000);
    const seen = new Set<string | null>();
    for (let t = 0; t < 60_000; t += 1_000)
      seen.add(gate.update(t % 4_000 < 2_000 ? 'game is running' : null, t));
    expect([...seen]).toEqual([null]);
  });

  it('keeps the newest wording while staying paused', () => {
    const gate = createGate(0, 'game is running');
    expect(gate.update('on battery', 1)).toBe('on battery');
  });
});
