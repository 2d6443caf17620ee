import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX, trayTooltipFor } from '../../../src/main/tray/tooltip.js';
import { NOW, runningJob, snapshotWith } from '../snapshots.js';

describe('trayTooltipFor', () => {
  it('names the running job kind and how long it has run', () => {
    expect(trayTooltipFor(snapshotWith({ currentJob: runningJob(12) }), NOW)).toBe(
      'Studio Worker — running image job (12s)',
    );
    expect(trayTooltipFor(snapshotWith({ currentJob: runningJob(185) }), NOW)).toBe(
      'Studio Worker — running image job (3m 05s)',
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
      'Studio Worker — running image job (step 7/20, 12s)',
    );
  });

  it('says paused, and why', () => {
    expect(trayTooltipFor(snapshotWith({ enabled: false }), NOW)).toBe(
      'Studio Worker — paused: disabled',
    );
    expect(trayTooltipFor(snapshotWith({ pausedReason: 'system is going to sleep' }), NOW)).toBe(
      'Studio Worker — paused: system is going to sleep',
    );
  });

  it('says offline with the reason', () => {
    const s = snapshotWith({ connection: { kind: 'offline', reason: 'connection refused' } });
    expect(trayTooltipFor(s, NOW)).toBe('Studio Worker — offline: connection refused');
  });

  it('says idle when waiting for jobs', () => {
    expect(trayTooltipFor(snapshotWith(), NOW)).toBe('Studio Worker — idle, waiting for jobs');
  });

  it('adds a ready update with its version', () => {
    const s = snapshotWith({ update: { kind: 'ready', version: '1.2.3' } });
    expect(trayTooltipFor(s, NOW)).toBe(
      'Studio Worker — idle, waiting for jobs · update ready (1.2.3)',
    );
  });

  it('keeps to the 127 characters Windows shows, ending with an ellipsis when cut', () => {
    const s = snapshotWith({ connection: { kind: 'offline', reason: 'x'.repeat(300) } });
    const tip = trayTooltipFor(s, NOW);
    expect(tip).toHaveLength(TOOLTIP_MAX);
    expect(tip.endsWith('…')).toBe(true);
  });
});
