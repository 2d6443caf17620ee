import { describe, expect, it } from 'vitest';
import type { ClaimOutcome } from '../../../src/core/runtime/claim.js';
import { nextDelayFor } from '../../../src/core/runtime/claim.js';
import { heartbeatDelayFor } from '../../../src/core/runtime/loops.js';
import type { LoopSchedule } from '../../../src/core/runtime/schedule.js';
import { scheduleFromConfig } from '../../../src/core/runtime/schedule.js';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import { StudioError } from '../../../src/core/studio/errors.js';

const schedule: LoopSchedule = {
  heartbeatMs: 5_000,
  claimAfterJobMs: 0,
  claimIdleMs: 5_000,
  logFlushMs: 1_000,
  autoUpdateTickMs: 60_000,
  autoUpdateIntervalMs: 1_800_000,
  backoffBaseMs: 500,
  backoffMaxMs: 60_000,
};

const http = (status: number, retryAfterMs?: number) =>
  new StudioError({
    op: 'claim',
    kind: 'http',
    status,
    message: `claim failed: ${status}`,
    ...(retryAfterMs ? { retryAfterMs } : {}),
  });

describe('nextDelayFor', () => {
  it('claims again right away after a job', () => {
    const outcome: ClaimOutcome = { kind: 'ran-job', jobId: 'j', outcome: { kind: 'completed' } };
    expect(nextDelayFor(outcome, schedule)).toBe(0);
  });

  it('waits the idle interval after no jobs and after a skip', () => {
    expect(nextDelayFor({ kind: 'no-jobs' }, schedule)).toBe(5_000);
    expect(nextDelayFor({ kind: 'skipped', reason: 'disabled' }, schedule)).toBe(5_000);
  });

  it('backs off exponentially with full jitter after errors', () => {
    const outcome: ClaimOutcome = { kind: 'error', error: http(503) };
    expect(nextDelayFor(outcome, schedule, 0, () => 0.999)).toBeCloseTo(500, -1);
    expect(nextDelayFor(outcome, schedule, 3, () => 0.999)).toBeCloseTo(4_000, -1);
    expect(nextDelayFor(outcome, schedule, 30, () => 0.999)).toBeLessThanOrEqual(60_000);
    expect(nextDelayFor(outcome, schedule, 3, () => 0)).toBe(0);
  });

  it('waits at least Retry-After after a 429', () => {
    const outcome: ClaimOutcome = { kind: 'error', error: http(429, 7_000) };
    expect(nextDelayFor(outcome, schedule, 0, () => 0)).toBeGreaterThanOrEqual(7_000);
  });

  it('waits at least the idle interval after an error that is not transient', () => {
    const malformed = new StudioError({ op: 'claim', kind: 'malformed', message: 'claim failed' });
    expect(nextDelayFor({ kind: 'error', error: http(400) }, schedule, 0, () => 0)).toBe(5_000);
    expect(nextDelayFor({ kind: 'error', error: malformed }, schedule, 0, () => 0.999)).toBe(5_000);
    // The backoff still grows past the idle interval while the error persists.
    expect(nextDelayFor({ kind: 'error', error: http(400) }, schedule, 6, () => 0.999)).toBeCloseTo(
      32_000,
      -2,
    );
  });

  it('uses the short backoff only after a transient error', () => {
    expect(nextDelayFor({ kind: 'error', error: http(503) }, schedule, 0, () => 0.5)).toBeLessThan(
      5_000,
    );
  });

  it('waits the backoff cap while credentials are rejected', () => {
    expect(nextDelayFor({ kind: 'error', error: http(401) }, schedule, 0, () => 0)).toBe(60_000);
  });
});

describe('heartbeatDelayFor', () => {
  it('keeps the heartbeat interval while the studio answers', () => {
    expect(heartbeatDelayFor({ kind: 'ok' }, schedule, 0, Math.random)).toBe(5_000);
  });

  it('never beats faster than the interval while backing off from errors', () => {
    const error = {
      kind: 'error',
      message: 'x',
      transient: true,
      credentialsRejected: false,
    } as const;
    expect(heartbeatDelayFor(error, schedule, 0, () => 0)).toBe(5_000);
    expect(heartbeatDelayFor(error, schedule, 10, () => 0.999)).toBeGreaterThan(50_000);
  });
});

describe('scheduleFromConfig', () => {
  it('turns the [schedule] seconds into milliseconds, sub-second values included', () => {
    const config = defaultConfig();
    config.schedule = {
      ...config.schedule,
      heartbeat_secs: 0.05,
      claim_idle_secs: 0.02,
      backoff_max_secs: 0.1,
    };
    const s = scheduleFromConfig(config);
    expect(s.heartbeatMs).toBe(50);
    expect(s.claimIdleMs).toBe(20);
    expect(s.backoffMaxMs).toBe(100);
    expect(s.backoffBaseMs).toBeLessThanOrEqual(100);
    expect(s.autoUpdateIntervalMs).toBe(1_800_000);
  });
});
