// Snapshots for the pure tray tests: the real observers' initial snapshot of a default config,
// registered and online, with the fields a test cares about patched in.
import { defaultConfig } from '../../src/core/config/defaults.js';
import { configFields } from '../../src/core/runtime/config-view.js';
import { WorkerObservers } from '../../src/core/runtime/observers.js';
import type { CurrentJob, WorkerSnapshot } from '../../src/shared/snapshot.js';

export const NOW = Date.parse('2026-05-16T12:00:00.000Z');

export function snapshotWith(patch: Partial<WorkerSnapshot> = {}): WorkerSnapshot {
  const observers = new WorkerObservers(
    {
      agentVersion: '1.0.0',
      configPath: '/home/tester/.config/studio-worker/config.toml',
      engine: 'synthetic',
      ...configFields(defaultConfig()),
    },
    () => '2026-05-16',
  );
  return {
    ...observers.snapshot(),
    registration: { kind: 'registered', workerId: 'w-1' },
    connection: { kind: 'online' },
    ...patch,
  };
}

/** A job that started `secondsAgo` before NOW. */
export function runningJob(secondsAgo = 12): CurrentJob {
  return {
    id: 'job-7',
    kind: 'image',
    model: 'sdxl',
    promptPreview: 'a fox',
    startedAt: new Date(NOW - secondsAgo * 1000).toISOString(),
  };
}
