import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX, trayTooltipFor } from '../../../src/main/tray/tooltip.js';
import { NOW, runningJob, snapshotWith } from '../snapshots.js';

describe('trayTooltipFor', () => {
  it('names the running job kind and how long it has run', () => {
    expect(trayTooltipFor(snapshotWith({ currentJob: runningJob(12) }), NOW)).toBe(
      'Studio Worker — Working: image job (12s)',
    );
    expect(trayTooltipFor(snapshotWith({ currentJob: runningJob(185) }), NOW)).toBe(
      'Studio Worker — Working: image job (3m 05s)',
    );
  });

  it('adds the sampler step to the running job', () => {
    const job = {
      ...runningJob(12),
      progress: {
        done: 7,
        total: 20,
        unit: 'steps',
        stage: null,
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    };
    expect(trayTooltipFor(snapshotWith({ currentJob: job }), NOW)).toBe(
      'Studio Worker — Working: image job (step 7/20, 12s)',
    );
  });

  it('says paused, and why', () => {
    expect(trayTooltipFor(snapshotWith({ enabled: false }), NOW)).toBe(
      'Studio Worker — Paused: you paused it',
    );
    expect(trayTooltipFor(snapshotWith({ pausedReason: 'system is going to sleep' }), NOW)).toBe(
      'Studio Worker — Paused: system is going to sleep',
    );
  });

  it('says offline with the reason', () => {
    const s = snapshotWith({ connection: { kind: 'offline', reason: 'connection refused' } });
    expect(trayTooltipFor(s, NOW)).toBe('Studio Worker — Studio unreachable: connection refused');
  });

  it('says idle when waiting for jobs', () => {
    expect(trayTooltipFor(snapshotWith(), NOW)).toBe('Studio Worker — Idle: waiting for jobs');
  });

  it('adds a ready update with its version', () => {
    const s = snapshotWith({ update: { kind: 'ready', version: '1.2.3' } });
    expect(trayTooltipFor(s, NOW)).toBe(
      'Studio Worker — Idle: waiting for jobs · update ready (1.2.3)',
    );
  });

  it('says failing, not idle, when the recent jobs failed', () => {
    const failed = {
      ...runningJob(),
      finishedAt: new Date(NOW).toISOString(),
      durationMs: 10,
      outcome: { kind: 'failed' as const, error: 'engine crashed', retryable: true },
    };
    const s = snapshotWith({ recentJobs: Array.from({ length: 12 }, () => failed) });
    expect(trayTooltipFor(s, NOW)).toBe(
      'Studio Worker — Failing: 10 of the last 10 jobs failed: engine crashed',
    );
  });

  it('says it cannot take jobs with a threshold of 0', () => {
    expect(trayTooltipFor(snapshotWith({ vramThresholdGb: 0 }), NOW)).toMatch(
      /^Studio Worker — Cannot take jobs: the VRAM threshold is 0 GB/,
    );
  });

  it('keeps to the 127 characters Windows shows, ending with an ellipsis when cut', () => {
    const s = snapshotWith({ connection: { kind: 'offline', reason: 'x'.repeat(300) } });
    const tip = trayTooltipFor(s, NOW);
    expect(tip).toHaveLength(TOOLTIP_MAX);
    expect(tip.endsWith('…')).toBe(true);
  });
});
