// The worker's Prometheus metrics (prom-client), in the studio_worker_ namespace. Counters move
// with the loops' tick outcomes (LoopActivity); gauges are read from the snapshot at scrape time.
// Labels are closed sets (job kind, outcome kind, hold source, GPU index and name): no secret,
// no prompt, no free-form error text ever becomes a label or a value.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClaimOutcome } from '../../core/runtime/claim.js';
import type { LogShipOutcome } from '../../core/runtime/log-shipper.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { HeartbeatOutcome } from '../../shared/snapshot.js';

export const METRIC_PREFIX = 'studio_worker_';

/** Job durations from a second (a small image) to past the default 15-minute job limit. */
const DURATION_BUCKETS = [1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800];

const GIB = 1024 ** 3;

export interface WorkerMetrics {
  readonly registry: Registry;
  /** Stops counting (the tick listener); the registry stays readable. */
  dispose(): void;
}

// Long on purpose (over 120 lines): one declaration per metric, each next to the snapshot field
// it reads, in one registry; splitting it would only scatter the list of what is exported.
export function createWorkerMetrics(worker: Worker): WorkerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const n = (name: string) => METRIC_PREFIX + name;
  const snap = () => worker.observers.snapshot();

  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  const jobs = new Counter({
    name: n('jobs_total'),
    help: 'Jobs finished, by kind and outcome (completed, failed, spooled).',
    labelNames: ['kind', 'outcome'],
    registers,
  });
  const jobDuration = new Histogram({
    name: n('job_duration_seconds'),
    help: 'How long jobs ran, by kind.',
    labelNames: ['kind'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const claims = new Counter({
    name: n('claims_total'),
    help: 'Claim loop ticks, by result (ran-job, no-jobs, refused-job, skipped, error).',
    labelNames: ['result'],
    registers,
  });
  const heartbeats = new Counter({
    name: n('heartbeats_total'),
    help: 'Heartbeats, by result (ok, skipped, error).',
    labelNames: ['result'],
    registers,
  });
  const shipped = new Counter({
    name: n('log_lines_shipped_total'),
    help: 'Log lines the studio accepted.',
    registers,
  });
  let droppedSeen = 0;
  new Counter({
    name: n('log_lines_dropped_total'),
    help: 'Log lines dropped because the queue for the studio was full.',
    registers,
    collect() {
      const dropped = snap().logsDropped;
      if (dropped > droppedSeen) this.inc(dropped - droppedSeen);
      droppedSeen = dropped;
    },
  });
  new Gauge({
    name: n('spool_entries'),
    help: 'Finished results waiting in the spool for the studio to acknowledge them.',
    registers,
    collect() {
      this.set(snap().spool.count);
    },
  });
  new Gauge({
    name: n('spool_bytes'),
    help: 'Bytes of results waiting in the spool.',
    registers,
    collect() {
      this.set(snap().spool.bytes);
    },
  });
  // Hold sources seen once stay as 0, so a graph shows the pause ending rather than a gap.
  const pauseSources = new Set<string>(['disabled']);
  new Gauge({
    name: n('paused'),
    help: 'Whether claiming is paused, by reason (snooze, presence, admission, spool, disabled, draining, …).',
    labelNames: ['reason'],
    registers,
    collect() {
      const s = snap();
      const active = new Set(worker.context.flags.holds.keys());
      if (!s.enabled) active.add('disabled');
      if (s.draining) active.add('draining');
      for (const source of active) pauseSources.add(source);
      for (const source of pauseSources) this.set({ reason: source }, active.has(source) ? 1 : 0);
    },
  });
  const gpuLabels = ['gpu', 'name'] as const;
  const perGpu = (
    name: string,
    help: string,
    value: (g: ReturnType<typeof snap>['gpus'][number]) => number | null,
  ) =>
    new Gauge({
      name: n(name),
      help,
      labelNames: gpuLabels,
      registers,
      collect() {
        this.reset();
        for (const gpu of snap().gpus) {
          const v = value(gpu);
          if (v !== null) this.set({ gpu: String(gpu.index), name: gpu.name }, v);
        }
      },
    });
  perGpu('gpu_memory_free_bytes', 'Free GPU memory, as the host probe measured it.', (g) =>
    g.vramFreeGb === null ? null : g.vramFreeGb * GIB,
  );
  perGpu('gpu_memory_total_bytes', 'Total GPU memory, as the host probe measured it.', (g) =>
    g.vramTotalGb === null ? null : g.vramTotalGb * GIB,
  );
  perGpu(
    'gpu_utilization_ratio',
    'GPU utilisation from 0 to 1, where the probe reports it.',
    (g) => (g.utilizationPercent === null ? null : g.utilizationPercent / 100),
  );
  new Gauge({
    name: n('engine_up'),
    help: "1 when the engine's last health check answered, 0 when it did not (absent before the first check).",
    labelNames: ['engine'],
    registers,
    collect() {
      this.reset();
      const s = snap();
      if (s.engineHealth !== null) this.set({ engine: s.engine }, s.engineHealth.reachable ? 1 : 0);
    },
  });
  new Gauge({
    name: n('registered'),
    help: '1 when the worker is registered with the studio.',
    registers,
    collect() {
      this.set(snap().registration.kind === 'registered' ? 1 : 0);
    },
  });
  new Gauge({
    name: n('info'),
    help: 'The worker version and engine (always 1).',
    labelNames: ['version', 'engine'],
    registers,
    collect() {
      this.reset();
      const s = snap();
      this.set({ version: s.agentVersion, engine: s.engine }, 1);
    },
  });

  const onTick = (loop: string, outcome: unknown) => {
    if (outcome === undefined) return;
    switch (loop) {
      case 'heartbeat':
        heartbeats.inc({ result: (outcome as HeartbeatOutcome).kind });
        return;
      case 'log shipper': {
        const o = outcome as LogShipOutcome;
        if (o.kind === 'shipped') shipped.inc(o.count);
        if (o.kind === 'error' && o.shipped > 0) shipped.inc(o.shipped);
        return;
      }
      case 'claim': {
        const o = outcome as ClaimOutcome;
        claims.inc({ result: o.kind });
        if (o.kind !== 'ran-job') return;
        // The job's kind and duration are in the snapshot's recent jobs (the tick recorded it).
        const job = snap().recentJobs.findLast((j) => j.id === o.jobId);
        if (!job) return;
        jobs.inc({ kind: job.kind, outcome: job.outcome.kind });
        jobDuration.observe({ kind: job.kind }, job.durationMs / 1000);
        return;
      }
      default:
        return;
    }
  };
  const stop = worker.loopActivity.onTick(onTick);
  return { registry, dispose: () => void stop() };
}
