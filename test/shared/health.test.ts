// The headline for every state, from real observer snapshots with the fields a state needs.
import { describe, expect, it } from 'vitest';
import { healthOf, headlineOf } from '../../src/shared/health.js';
import { WorkerObservers } from '../../src/core/runtime/observers.js';
import type { RecentJob } from '../../src/shared/snapshot.js';
import { NOW, runningJob, snapshotWith } from '../main/snapshots.js';

function finished(failed: boolean, i: number): RecentJob {
  return {
    ...runningJob(),
    id: `job-${i}`,
    finishedAt: new Date(NOW).toISOString(),
    durationMs: 1000,
    outcome: failed
      ? { kind: 'failed', error: 'ComfyUI returned 500: out of memory', retryable: true }
      : { kind: 'completed' },
  };
}
/** Newest first, as the snapshot keeps them: `pattern` reads newest to oldest, F = failed. */
const jobs = (pattern: string) => [...pattern].map((c, i) => finished(c === 'F', i));

const ok = { vramThresholdGb: 12 };

describe('headlineOf', () => {
  it('is idle, ok, when registered, online, enabled and nothing runs', () => {
    const h = headlineOf(snapshotWith(ok));
    expect([h.state.kind, h.level, h.summary]).toEqual(['idle', 'ok', 'Idle: waiting for jobs']);
  });

  it('is working while a job runs', () => {
    const h = headlineOf(snapshotWith({ ...ok, currentJob: runningJob() }));
    expect([h.level, h.summary]).toEqual(['ok', 'Working: image job (sdxl)']);
  });

  it('says "pausing after this job" when paused during a job', () => {
    const h = headlineOf(snapshotWith({ ...ok, currentJob: runningJob(), enabled: false }));
    expect([h.state.kind, h.summary]).toEqual(['pausing', 'Pausing after this image job…']);
  });

  it('is paused with the reason a rule gives', () => {
    const h = headlineOf(snapshotWith({ ...ok, pausedReason: '1.4 GB free, resumes at 3 GB' }));
    expect([h.state.kind, h.level, h.summary]).toEqual([
      'paused',
      'warning',
      'Paused: 1.4 GB free, resumes at 3 GB',
    ]);
  });

  it('is paused by the owner when claiming is off', () => {
    const h = headlineOf(snapshotWith({ ...ok, enabled: false }));
    expect(h.summary).toBe('Paused: you paused it');
  });

  it('is failing, an error, when 128 jobs in a row failed (measured: it said a green "Idle")', () => {
    const h = headlineOf(snapshotWith({ ...ok, recentJobs: jobs('F'.repeat(50)) }));
    expect([h.state.kind, h.level, h.summary]).toEqual([
      'failing',
      'error',
      'Failing: 10 of the last 10 jobs failed: ComfyUI returned 500: out of memory',
    ]);
  });

  it('counts 8 of the last 10 and keeps failing even while the next job runs', () => {
    const h = headlineOf(
      snapshotWith({ ...ok, currentJob: runningJob(), recentJobs: jobs('FFCFFFCFFFCCCC') }),
    );
    expect(h.summary).toMatch(/^Failing: 8 of the last 10 jobs failed/);
  });

  it('is not failing once the newest job succeeded, nor for one failure among few', () => {
    expect(headlineOf(snapshotWith({ ...ok, recentJobs: jobs('CFFFFFFF') })).state.kind).toBe(
      'idle',
    );
    expect(headlineOf(snapshotWith({ ...ok, recentJobs: jobs('FF') })).state.kind).toBe('idle');
    expect(headlineOf(snapshotWith({ ...ok, recentJobs: jobs('FFFCCCCCCC') })).state.kind).toBe(
      'idle',
    );
  });

  it('cannot take jobs with a threshold of 0 (measured: it said "waiting for jobs")', () => {
    const h = headlineOf(snapshotWith({ vramThresholdGb: 0 }));
    expect([h.state.kind, h.level]).toEqual(['cannot-take-jobs', 'error']);
    expect(h.summary).toContain('VRAM threshold is 0 GB');
  });

  it('cannot take jobs when the threshold is below every model’s smallest need', () => {
    const h = headlineOf(
      snapshotWith({
        vramThresholdGb: 4,
        engineHealth: {
          reachable: true,
          models: ['sdxl', 'flux'],
          error: null,
          checkedAt: new Date(NOW).toISOString(),
          modelVramGb: { sdxl: 7.5, flux: 22 },
        },
      }),
    );
    expect(h.summary).toBe(
      "Cannot take jobs: the VRAM threshold (4 GB) is below the smallest model's need (7.5 GB)",
    );
  });

  it('says it cannot take jobs rather than failing or paused, since resuming would not help', () => {
    const s = snapshotWith({ vramThresholdGb: 0, enabled: false, recentJobs: jobs('FFFF') });
    expect(headlineOf(s).state.kind).toBe('cannot-take-jobs');
  });

  it('cannot take jobs when no engine answers', () => {
    const h = headlineOf(
      snapshotWith({
        ...ok,
        engineHealth: {
          reachable: false,
          models: [],
          error: 'connection refused at 127.0.0.1:8188',
          checkedAt: new Date(NOW).toISOString(),
        },
      }),
    );
    expect(h.summary).toBe(
      'Cannot take jobs: the synthetic engine does not answer: connection refused at 127.0.0.1:8188',
    );
  });

  it('is not registered, with why', () => {
    const base = snapshotWith();
    const none = headlineOf(
      snapshotWith({
        ...ok,
        registration: { kind: 'unregistered' },
        settings: { ...base.settings, hasBootstrapToken: false },
      }),
    );
    expect([none.level, none.summary]).toEqual([
      'warning',
      'Not registered: enter a bootstrap token from the studio to register',
    ]);
    const refused = headlineOf(
      snapshotWith({
        ...ok,
        registration: { kind: 'unregistered' },
        lastError: 'the studio refused the bootstrap token',
      }),
    );
    expect(refused.summary).toBe('Not registered: the studio refused the bootstrap token');
  });

  it('says the studio is unreachable, an error', () => {
    const h = headlineOf(
      snapshotWith({ ...ok, connection: { kind: 'offline', reason: 'connection refused' } }),
    );
    expect([h.level, h.summary]).toEqual(['error', 'Studio unreachable: connection refused']);
  });

  it('says the token was rejected, with the way out', () => {
    const h = headlineOf(
      snapshotWith({
        ...ok,
        registration: { kind: 'credentials-rejected', message: 'the studio answered 401' },
      }),
    );
    expect([h.state.kind, h.level]).toEqual(['token-rejected', 'error']);
    expect(h.summary).toContain('enter a new bootstrap token');
  });
});

describe('healthOf since', () => {
  it('is the time the state began, kept while the wording changes, reset on a new state', () => {
    let now = NOW;
    const observers = new WorkerObservers(
      { agentVersion: '1', apiBaseUrl: 'http://127.0.0.1:1', configPath: '/c', engine: 'e' },
      () => '2026-05-16',
      () => now,
    );
    observers.set({
      registration: { kind: 'registered', workerId: 'w' },
      connection: { kind: 'online' },
      vramThresholdGb: 12,
    });
    expect(healthOf(observers.snapshot())).toMatchObject({
      state: 'idle',
      since: new Date(NOW).toISOString(),
    });
    now += 60_000;
    observers.jobStarted(runningJob());
    const started = new Date(now).toISOString();
    expect(healthOf(observers.snapshot())).toMatchObject({ state: 'working', since: started });
    now += 5_000;
    observers.jobProgress('job-7', {
      done: 3,
      total: 20,
      unit: 'steps',
      stage: null,
      updatedAt: new Date(now).toISOString(),
    });
    expect(healthOf(observers.snapshot()).since).toBe(started);
  });

  it('is null for a snapshot no observer tracked into this state', () => {
    const s = snapshotWith({ ...ok, connection: { kind: 'offline', reason: 'down' } });
    expect(healthOf(s).since).toBeNull();
  });
});
