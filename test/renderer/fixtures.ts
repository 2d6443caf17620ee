// Snapshots for the component tests: one healthy idle worker, and builders for the rest.
import type { LogEntry, RecentJob, WorkerSnapshot } from '../../src/shared/snapshot.js';

/** The tests' "now": fixtures are dated relative to it. */
export const NOW = Date.parse('2026-11-28T14:00:00.000Z');

export const ago = (ms: number) => new Date(NOW - ms).toISOString();

export function idleSnapshot(patch: Partial<WorkerSnapshot> = {}): WorkerSnapshot {
  const base: WorkerSnapshot = {
    agentVersion: '1.4.2',
    apiBaseUrl: 'https://studio.example.com',
    configPath: '/home/ada/.config/studio-worker/config.toml',
    engine: 'synthetic',
    registration: { kind: 'registered', workerId: 'w-17' },
    connection: { kind: 'online' },
    enabled: true,
    pausedReason: null,
    draining: false,
    stopping: false,
    vramThresholdGb: 12,
    vramTotalGb: 24,
    currentJob: null,
    recentJobs: [],
    lastHeartbeat: { attemptedAt: ago(3_000), outcome: { kind: 'ok' } },
    logs: [],
    lastError: null,
    update: { kind: 'up-to-date', checkedAt: ago(60_000) },
    spool: { count: 0, bytes: 0 },
    counters: { day: '2026-11-28', completed: 7, failed: 2 },
    logsDropped: 0,
    gpus: [
      {
        index: 0,
        name: 'NVIDIA GeForce RTX 4090',
        vramTotalGb: 24,
        vramUsedGb: 6,
        vramFreeGb: 18,
        utilizationPercent: 35,
        driverVersion: '550.54',
        source: 'nvidia-smi',
      },
    ],
    engineHealth: null,
    snoozedUntil: null,
    settings: {
      apiBaseUrl: 'https://studio.example.com',
      hasBootstrapToken: true,
      vramThresholdGb: 12,
      enabled: true,
      autoStart: true,
      autoUpdateEnabled: true,
      autoUpdateIntervalSecs: 1800,
      autoUpdatePrerelease: false,
      engine: 'synthetic',
      jobTimeoutSecs: 900,
    },
  };
  return { ...base, ...patch };
}

export function runningJob(startedMsAgo = 12_000) {
  return {
    id: 'job-42',
    kind: 'image' as const,
    model: 'sdxl-turbo',
    promptPreview: 'a lighthouse on a cliff at dusk, oil painting',
    startedAt: ago(startedMsAgo),
  };
}

export function recentJob(n: number, patch: Partial<RecentJob> = {}): RecentJob {
  return {
    id: `job-${n}`,
    kind: n % 2 === 0 ? 'image' : 'llm',
    model: n % 2 === 0 ? 'sdxl-turbo' : 'llama-3-8b',
    promptPreview: `prompt number ${n}`,
    startedAt: ago(n * 60_000 + 12_000),
    finishedAt: ago(n * 60_000),
    durationMs: 12_000,
    outcome: { kind: 'completed' },
    ...patch,
  };
}

export function logEntry(n: number, patch: Partial<LogEntry> = {}): LogEntry {
  return {
    ts: ago((1000 - n) * 1000),
    level: 'info',
    category: 'claim',
    message: `line ${n}`,
    ...patch,
  };
}
