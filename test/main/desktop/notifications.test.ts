import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../../src/main/desktop/notifications.js';
import type { RecentJob } from '../../../src/shared/snapshot.js';
import { runningJob, snapshotWith } from '../snapshots.js';

function finished(id: string, outcome: RecentJob['outcome']): RecentJob {
  return {
    ...runningJob(),
    id,
    finishedAt: `2026-05-16T12:00:0${id.length}.000Z`,
    durationMs: 1_000,
    outcome,
  };
}

describe('notificationsFor', () => {
  it('tells about each newly failed job, not about completed or already seen ones', () => {
    const old = finished('j-1', { kind: 'failed', error: 'old', retryable: true });
    const prev = snapshotWith({ recentJobs: [old] });
    const next = snapshotWith({
      recentJobs: [
        finished('j-333', { kind: 'failed', error: 'out of memory', retryable: true }),
        finished('j-22', { kind: 'completed' }),
        old,
      ],
    });
    expect(notificationsFor(prev, next)).toEqual([
      {
        kind: 'job-failed',
        title: 'A image job failed',
        body: 'Job j-333 (sdxl): out of memory',
      },
    ]);
  });

  it('tells once when the credentials are rejected', () => {
    const rejected = snapshotWith({
      registration: { kind: 'credentials-rejected', workerId: 'w-1', message: '401 Unauthorized' },
    });
    expect(notificationsFor(snapshotWith(), rejected)).toEqual([
      expect.objectContaining({
        kind: 'credentials-rejected',
        body: expect.stringContaining('401'),
      }),
    ]);
    expect(notificationsFor(rejected, rejected)).toEqual([]);
  });

  it('tells once when an update is ready, again for a newer one', () => {
    const ready = snapshotWith({ update: { kind: 'ready', version: '1.2.3' } });
    expect(notificationsFor(snapshotWith(), ready)).toEqual([
      expect.objectContaining({ kind: 'update-ready', title: 'Update ready (1.2.3)' }),
    ]);
    expect(notificationsFor(ready, ready)).toEqual([]);
    const newer = snapshotWith({ update: { kind: 'ready', version: '1.2.4' } });
    expect(notificationsFor(ready, newer)).toHaveLength(1);
  });

  it('says nothing when nothing worth telling changed', () => {
    expect(notificationsFor(snapshotWith(), snapshotWith({ enabled: false }))).toEqual([]);
  });
});
