import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import {
  CLAIM_UPLOAD_ALLOWANCE_MS,
  TICK_LIMIT_MS,
  WAIT_LATE_MS,
  livenessOf,
} from '../../../src/core/health/probes.js';
import { LoopActivity } from '../../../src/core/runtime/loop-activity.js';

function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("liveness from the loops' tick timestamps", () => {
  it('is alive before the loops start (a worker still waiting to register)', () => {
    const clock = manualClock();
    const activity = new LoopActivity(clock);
    expect(livenessOf(activity.current(), clock.now(), defaultConfig())).toEqual({
      ok: true,
      detail: 'alive (loops not started)',
    });
  });

  it('turns wedged when a heartbeat tick runs past its limit, and alive again when it returns', () => {
    const clock = manualClock();
    const activity = new LoopActivity(clock);
    activity.tickStarted('heartbeat');
    clock.advance(TICK_LIMIT_MS);
    expect(livenessOf(activity.current(), clock.now(), defaultConfig()).ok).toBe(true);
    clock.advance(1_000);
    expect(livenessOf(activity.current(), clock.now(), defaultConfig())).toEqual({
      ok: false,
      reasons: ['heartbeat loop wedged: its tick has not returned (1 s past its limit)'],
    });
    activity.tickEnded('heartbeat', { kind: 'ok' }, 5_000);
    expect(livenessOf(activity.current(), clock.now(), defaultConfig()).ok).toBe(true);
  });

  it('gives the claim tick the whole job limit, the grace period and the upload allowance', () => {
    const clock = manualClock();
    const config = { ...defaultConfig(), job_timeout_secs: 600, shutdown_grace_secs: 30 };
    const activity = new LoopActivity(clock);
    activity.tickStarted('claim');
    clock.advance(630_000 + CLAIM_UPLOAD_ALLOWANCE_MS);
    expect(livenessOf(activity.current(), clock.now(), config).ok).toBe(true);
    clock.advance(1);
    expect(livenessOf(activity.current(), clock.now(), config).ok).toBe(false);
  });

  it('turns wedged when a wait ends far later than planned (its timer never fired)', () => {
    const clock = manualClock();
    const activity = new LoopActivity(clock);
    activity.tickStarted('log shipper');
    activity.tickEnded('log shipper', { kind: 'idle' }, 1_000);
    clock.advance(1_000 + WAIT_LATE_MS + 1);
    const answer = livenessOf(activity.current(), clock.now(), defaultConfig());
    expect(answer).toEqual({
      ok: false,
      reasons: ['log shipper loop wedged: its wait has not ended (1 s past its limit)'],
    });
  });

  it('forgets a loop that ended, and tells tick listeners each outcome', () => {
    const clock = manualClock();
    const activity = new LoopActivity(clock);
    const heard: unknown[] = [];
    const off = activity.onTick((loop, outcome) => heard.push([loop, outcome]));
    activity.tickStarted('claim');
    activity.tickEnded('claim', { kind: 'no-jobs' }, 50);
    off();
    activity.tickEnded('claim', { kind: 'no-jobs' }, 50);
    activity.loopEnded('claim');
    clock.advance(24 * 3_600_000);
    expect(heard).toEqual([['claim', { kind: 'no-jobs' }]]);
    expect(livenessOf(activity.current(), clock.now(), defaultConfig()).ok).toBe(true);
  });
});
