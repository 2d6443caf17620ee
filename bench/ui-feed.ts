// Measurement 4, the UI feed: building and serialising a snapshot with full rings (50 recent
// jobs, 1000 log lines), and what reaches the window while 1000 log lines a second arrive
// through a coalescer: pushes per second and how late the latest state can be.
import { setTimeout as delay } from 'node:timers/promises';
import { createCoalescer, SNAPSHOT_INTERVAL_MS } from '../core/runtime/coalescer.js';
import { LOG_RING_CAP, RECENT_JOBS_CAP } from '../core/runtime/constants.js';
import { makeLogEntry } from '../core/runtime/log.js';
import { WorkerObservers, localDay } from '../core/runtime/observers.js';
import type { LogEntry, RecentJob, WorkerSnapshot } from '../shared/snapshot.js';
import type { Measurement } from './measurement.js';
import { metric } from './results.js';
import { median, percentile, ratePerSecond } from './stats.js';

const PUSH_INTERVAL_MS = SNAPSHOT_INTERVAL_MS;
const LOG_RATE_PER_S = 1_000;

const PROMPT =
  'a lighthouse on a basalt cliff at dusk, volumetric fog, long exposure, waves breaking on ' +
  'the rocks below, warm light from the lamp room, muted teal and amber palette, 35 mm film ' +
  'grain, wide shot';

function jobId(n: number): string {
  return `0f3c9a2e-5b7d-4e61-9c8a-${String(n).padStart(12, '0')}`;
}

function logLine(n: number): LogEntry {
  return makeLogEntry(
    Date.now(),
    n % 7 === 0 ? 'warn' : 'info',
    'job',
    `result uploaded (${(n * 37) % 4096} KB in ${(n * 13) % 900} ms); spool now holds 0 results`,
    jobId(n % 64),
  );
}

function recentJob(n: number): RecentJob {
  const started = new Date(Date.now() - 60_000 * (n + 1));
  return {
    id: jobId(n),
    kind: 'image',
    model: 'sdxl-turbo',
    promptPreview: PROMPT.slice(0, 200) + '…',
    startedAt: started.toISOString(),
    finishedAt: new Date(started.getTime() + 4_200).toISOString(),
    durationMs: 4_200,
    outcome:
      n % 10 === 0
        ? { kind: 'failed', error: 'engine failed: CUDA out of memory', retryable: true }
        : { kind: 'completed' },
  };
}

/** Observers whose recent-jobs and log rings are full. */
function fullObservers(): WorkerObservers {
  const observers = new WorkerObservers(
    {
      agentVersion: '0.2.0',
      apiBaseUrl: 'https://studio.example.com',
      configPath: '/home/gpu/.config/studio-worker/config.toml',
      engine: 'comfyui',
    },
    () => localDay(Date.now()),
  );
  for (let i = 0; i < RECENT_JOBS_CAP; i += 1) observers.jobFinished(recentJob(i));
  for (let i = 0; i < LOG_RING_CAP; i += 1) observers.addLog(logLine(i));
  return observers;
}

/**
 * Time to build a snapshot right after a change (the cache is cold) and to serialise it: JSON for
 * the web bridge, structured clone for Electron's IPC.
 */
function snapshotCost(iterations: number) {
  const observers = fullObservers();
  const json: number[] = [];
  const clone: number[] = [];
  const build: number[] = [];
  let bytes = 0;
  for (let i = 0; i < iterations + 100; i += 1) {
    observers.addLog(logLine(LOG_RING_CAP + i));
    const t0 = performance.now();
    const snapshot = observers.snapshot();
    const t1 = performance.now();
    const text = JSON.stringify(snapshot);
    const t2 = performance.now();
    structuredClone(snapshot);
    const t3 = performance.now();
    if (i < 100) continue; // warm-up
    build.push(t1 - t0);
    json.push(t2 - t0);
    clone.push(t1 - t0 + (t3 - t2));
    bytes = text.length;
  }
  return { build, json, clone, bytes };
}

/**
 * 1000 log lines a second for `seconds`, wired as src/main/ipc/bridge-host.ts wires the window:
 * every change pushes the latest snapshot into the coalescer, which sends (here: structured
 * clone, as IPC does) at most once per interval.
 */
async function feed(seconds: number) {
  const observers = fullObservers();
  const changedAt: number[] = [];
  const sends: { at: number; seq: number }[] = [];
  let seqInSnapshot = 0;
  // Which change each snapshot object reflects (snapshots are immutable and cached per change).
  const snapshotSeq = new WeakMap<WorkerSnapshot, number>();
  const coalescer = createCoalescer<WorkerSnapshot>({
    intervalMs: PUSH_INTERVAL_MS,
    send: (snapshot) => {
      structuredClone(snapshot);
      sends.push({ at: performance.now(), seq: snapshotSeq.get(snapshot) ?? 0 });
    },
  });
  const unsubscribe = observers.subscribe(() => {
    const snapshot = observers.snapshot();
    snapshotSeq.set(snapshot, seqInSnapshot);
    coalescer.push(snapshot);
  });
  const total = seconds * LOG_RATE_PER_S;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * LOG_RATE_PER_S) / 1000));
      while (changedAt.length < due) {
        changedAt.push(performance.now());
        seqInSnapshot = changedAt.length;
        observers.addLog(logLine(changedAt.length));
      }
      if (changedAt.length >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const feedMs = performance.now() - t0;
  await delay(PUSH_INTERVAL_MS * 3);
  const watchedUntil = performance.now();
  const used = process.cpuUsage(cpu);
  unsubscribe();
  coalescer.dispose();
  // For each change, the first send that carried it (never carried: late for all we watched).
  const lateness: number[] = [];
  let s = 0;
  for (let seq = 1; seq <= changedAt.length; seq += 1) {
    while (s < sends.length && sends[s]!.seq < seq) s += 1;
    lateness.push((s < sends.length ? sends[s]!.at : watchedUntil) - changedAt[seq - 1]!);
  }
  const during = sends.filter((x) => x.at <= t0 + feedMs);
  return {
    changes: changedAt.length,
    sends: sends.length,
    sendsPerSecond: ratePerSecond(during.map((x) => x.at)),
    maxLatenessMs: Math.max(...lateness),
    p95LatenessMs: percentile(lateness, 95),
    lastSendCarriesLastChange: sends.at(-1)?.seq === changedAt.length,
    cpuPercent: ((used.user + used.system) / 1000 / (watchedUntil - t0)) * 100,
  };
}

export const uiFeed: Measurement = {
  id: 'ui-feed',
  title: '4. UI feed (full rings: 50 jobs, 1000 log lines)',
  async run({ quick, progress }) {
    progress('snapshot build + serialisation');
    const cost = snapshotCost(quick ? 300 : 3_000);
    const seconds = quick ? 2 : 10;
    progress(`${LOG_RATE_PER_S} log lines/s for ${seconds} s through the coalescer`);
    const fed = await feed(seconds);
    const perSnapshot = { op: '<=', value: 1 } as const;
    return {
      metrics: [
        metric('snapshot build + JSON, median', median(cost.json), 'ms', perSnapshot),
        metric('snapshot build + JSON, p95', percentile(cost.json, 95), 'ms'),
        metric('snapshot build + structured clone, median', median(cost.clone), 'ms', perSnapshot),
        metric('pushes to the window', fed.sendsPerSecond, 'pushes/s', { op: '<=', value: 5 }),
        metric('latest state delivered within, worst', fed.maxLatenessMs, 'ms', {
          op: '<=',
          value: 250,
        }),
      ],
      details: {
        snapshotJsonBytes: cost.bytes,
        buildOnlyMedianMs: median(cost.build),
        feed: fed,
        coalescer: `src/core/runtime/coalescer.ts, ${PUSH_INTERVAL_MS} ms interval`,
      },
    };
  },
};
