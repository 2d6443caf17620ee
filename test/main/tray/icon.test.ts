import { describe, expect, it } from 'vitest';
import { trayIconFile, trayIconFor } from '../../../src/main/tray/icon.js';
import { runningJob, snapshotWith } from '../snapshots.js';

describe('trayIconFor', () => {
  it('shows idle for a registered, online, enabled worker with nothing to do', () => {
    expect(trayIconFor(snapshotWith())).toBe('idle');
  });

  it('shows working while a job runs, also when an update waits or the app is stopping', () => {
    expect(trayIconFor(snapshotWith({ currentJob: runningJob() }))).toBe('working');
    expect(
      trayIconFor(
        snapshotWith({ currentJob: runningJob(), update: { kind: 'ready', version: '1.2.3' } }),
      ),
    ).toBe('working');
    expect(trayIconFor(snapshotWith({ currentJob: runningJob(), stopping: true }))).toBe('working');
  });

  it('shows the problem icon, not idle, when jobs keep failing or none can be taken', () => {
    const failed = {
      ...runningJob(),
      finishedAt: '2026-05-16T12:00:00.000Z',
      durationMs: 10,
      outcome: { kind: 'failed' as const, error: 'engine crashed', retryable: true },
    };
    expect(trayIconFor(snapshotWith({ recentJobs: [failed, failed, failed] }))).toBe('offline');
    expect(trayIconFor(snapshotWith({ vramThresholdGb: 0 }))).toBe('offline');
  });

  it('shows paused when disabled, snoozed, held, draining or stopping without a job', () => {
    expect(trayIconFor(snapshotWith({ enabled: false }))).toBe('paused');
    expect(
      trayIconFor(
        snapshotWith({
          pausedReason: 'snoozed until 13:00',
          snoozedUntil: '2026-05-16T13:00:00.000Z',
        }),
      ),
    ).toBe('paused');
    expect(trayIconFor(snapshotWith({ pausedReason: 'system is going to sleep' }))).toBe('paused');
    expect(trayIconFor(snapshotWith({ draining: true }))).toBe('paused');
    expect(trayIconFor(snapshotWith({ stopping: true }))).toBe('paused');
  });

  it('shows offline when offline, when credentials are rejected and when not registered', () => {
    expect(
      trayIconFor(snapshotWith({ connection: { kind: 'offline', reason: 'connection refused' } })),
    ).toBe('offline');
    expect(
      trayIconFor(
        snapshotWith({
          registration: { kind: 'credentials-rejected', workerId: 'w-1', message: '401' },
        }),
      ),
    ).toBe('offline');
    expect(trayIconFor(snapshotWith({ registration: { kind: 'unregistered' } }))).toBe('offline');
    expect(trayIconFor(snapshotWith({ registration: { kind: 'registering' } }))).toBe('offline');
  });

  it('shows update when an update is ready and no job runs, unless the worker is offline', () => {
    const ready = { kind: 'ready', version: '1.2.3' } as const;
    expect(trayIconFor(snapshotWith({ update: ready }))).toBe('update');
    expect(trayIconFor(snapshotWith({ update: ready, enabled: false }))).toBe('update');
    expect(trayIconFor(snapshotWith({ update: ready, draining: true }))).toBe('update');
    expect(
      trayIconFor(
        snapshotWith({ update: ready, connection: { kind: 'offline', reason: 'timeout' } }),
      ),
    ).toBe('offline');
  });
});

describe('trayIconFile', () => {
  it('uses template PNGs on macOS, an ICO on Windows and a PNG elsewhere', () => {
    expect(trayIconFile('working', 'darwin')).toBe('workingTemplate.png');
    expect(trayIconFile('working', 'win32')).toBe('working.ico');
    expect(trayIconFile('working', 'linux')).toBe('working.png');
    expect(trayIconFile('idle', 'freebsd')).toBe('idle.png');
  });
});
