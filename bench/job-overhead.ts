// Measurement 1, per-job overhead: the real worker against the local studio with an engine that
// costs nothing (or exactly 50 ms), timed from the claim request to the acknowledged upload.
// Beside it, the limit (the same engine in a bare loop) and the original worker's fixed schedule.
import { rm } from 'node:fs/promises';
import type { ScheduleConfig } from '../core/config/types.js';
import { DEFAULT_SCHEDULE } from '../core/config/defaults.js';
import type { Task } from '../core/task/task.js';
import { startStudioSim } from '../studio-sim/index.js';
import type { Measurement, MeasureOptions } from './measurement.js';
import { within } from './measurement.js';
import { metric } from './results.js';
import { benchEngine, benchTempDir, buildWorker, writeBenchConfig } from './rig.js';
import { median, percentile, ratePerSecond, summary } from './stats.js';

const MODEL = 'bench-image';
const SLOW_JOB_MS = 50;
/** The original worker: 2 s after a job, 5 s after an empty claim. */
const ORIGINAL_SCHEDULE: ScheduleConfig = {
  ...DEFAULT_SCHEDULE,
  claim_after_job_secs: 2,
  claim_idle_secs: 5,
};

/** performance.now() at each step of one job, as seen from inside the worker. */
interface JobMarks {
  claimStart: number;
  claimEnd: number;
  engineStart?: number;
  engineEnd?: number;
  uploadStart?: number;
  acked?: number;
}

type Acked = Required<JobMarks>;

/** Runs `jobs` jobs through a fresh worker and studio; returns each job's marks in order. */
async function workerRun(opts: {
  jobs: number;
  engineDelayMs: number;
  schedule: ScheduleConfig;
}): Promise<Acked[]> {
  const sim = await startStudioSim();
  const dir = await benchTempDir();
  const marks: JobMarks[] = [];
  let current: JobMarks | undefined;
  let allAcked!: () => void;
  const finished = new Promise<void>((resolve) => (allAcked = resolve));
  const now = () => performance.now();
  try {
    const store = await writeBenchConfig(dir, sim.url, { schedule: opts.schedule });
    const engine = benchEngine({
      model: MODEL,
      delayMs: opts.engineDelayMs,
      onRun: (phase) => {
        if (current) current[phase === 'start' ? 'engineStart' : 'engineEnd'] = now();
      },
    });
    const worker = buildWorker({
      store,
      engine,
      wrapStudio: (api) => ({
        ...api,
        async claim(creds) {
          const claimStart = now();
          const answer = await api.claim(creds);
          if (answer.kind === 'job') {
            current = { claimStart, claimEnd: now() };
            marks.push(current);
          }
          return answer;
        },
        async complete(creds, jobId, body) {
          const job = current;
          if (job) job.uploadStart = now();
          await api.complete(creds, jobId, body);
          if (job) job.acked = now();
          if (marks.length === opts.jobs && marks.every((m) => m.acked !== undefined)) allAcked();
        },
      }),
    });
    await worker.register();
    for (let i = 0; i < opts.jobs; i += 1) sim.enqueue({ model: MODEL, prompt: `bench job ${i}` });
    await worker.start();
    const perJobLimitMs = 1_000 + opts.engineDelayMs + opts.schedule.claim_after_job_secs * 1000;
    await within(finished, 10_000 + opts.jobs * perJobLimitMs, `${opts.jobs} acknowledged uploads`);
    await worker.stop({ graceMs: 2_000 });
    const completed = sim.jobs().filter((j) => j.state === 'completed').length;
    if (completed !== opts.jobs)
      throw new Error(`the studio completed ${completed} of ${opts.jobs} jobs`);
    return marks as Acked[];
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The limit: the same engine run back to back, no worker around it. Completion times (ms). */
async function engineOnly(jobs: number, delayMs: number): Promise<number[]> {
  const engine = benchEngine({ model: MODEL, delayMs });
  const task: Task = {
    kind: 'image',
    prompt: 'bench',
    width: 1,
    height: 1,
    steps: 1,
    seed: null,
    ext: 'png',
  };
  const signal = new AbortController().signal;
  const done: number[] = [];
  for (let i = 0; i < jobs; i += 1) {
    await engine.run(MODEL, task, signal);
    done.push(performance.now());
  }
  return done;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export const jobOverhead: Measurement = {
  id: 'job-overhead',
  title: '1. Per-job overhead',
  async run({ quick, progress }: MeasureOptions) {
    const warmup = quick ? 5 : 20;
    const instantJobs = quick ? 40 : 500;
    const slowJobs = quick ? 20 : 100;
    const originalJobs = quick ? 2 : 6;

    progress(`instant engine: ${warmup + instantJobs} jobs`);
    const instant = (
      await workerRun({ jobs: warmup + instantJobs, engineDelayMs: 0, schedule: DEFAULT_SCHEDULE })
    ).slice(warmup);
    const overhead = instant.map((m) => m.acked - m.claimStart);
    const between = instant.slice(1).map((m, i) => m.claimStart - instant[i]!.acked);

    progress(`${SLOW_JOB_MS} ms engine alone: ${slowJobs} runs`);
    const limitRate = ratePerSecond(await engineOnly(slowJobs, SLOW_JOB_MS));
    progress(`${SLOW_JOB_MS} ms jobs through the worker: ${slowJobs} jobs`);
    const slow = await workerRun({
      jobs: slowJobs,
      engineDelayMs: SLOW_JOB_MS,
      schedule: DEFAULT_SCHEDULE,
    });
    const workerRate = ratePerSecond(slow.map((m) => m.acked));
    progress(`${SLOW_JOB_MS} ms jobs on the original schedule (2 s / 5 s): ${originalJobs} jobs`);
    const original = await workerRun({
      jobs: originalJobs,
      engineDelayMs: SLOW_JOB_MS,
      schedule: ORIGINAL_SCHEDULE,
    });
    const originalRate = ratePerSecond(original.map((m) => m.acked));

    const phase = (f: (m: Acked) => number) => round(median(instant.map(f)));
    const phases = {
      claimRoundTrip: phase((m) => m.claimEnd - m.claimStart),
      claimedToEngine: phase((m) => m.engineStart - m.claimEnd),
      engine: phase((m) => m.engineEnd - m.engineStart),
      spoolWriteAndVerify: phase((m) => m.uploadStart - m.engineEnd),
      uploadRoundTrip: phase((m) => m.acked - m.uploadStart),
      ackToNextClaim: round(median(between)),
    };
    return {
      metrics: [
        metric(
          'overhead claim → ack, median',
          median(overhead),
          'ms',
          { op: '<=', value: 3 },
          `medians: claim ${phases.claimRoundTrip}, spool write + verify ${phases.spoolWriteAndVerify}, ` +
            `upload ${phases.uploadRoundTrip} ms; then ${phases.ackToNextClaim} ms to the next claim`,
        ),
        metric('overhead claim → ack, p95', percentile(overhead, 95), 'ms'),
        metric('jobs/s, instant engine', ratePerSecond(instant.map((m) => m.acked)), 'jobs/s'),
        metric(`jobs/s, ${SLOW_JOB_MS} ms engine alone (limit)`, limitRate, 'jobs/s'),
        metric(`jobs/s, ${SLOW_JOB_MS} ms jobs, worker`, workerRate, 'jobs/s'),
        metric(`worker ÷ limit, ${SLOW_JOB_MS} ms jobs`, workerRate / limitRate, '×', {
          op: '>=',
          value: 0.95,
        }),
        metric(
          `original schedule ÷ limit, ${SLOW_JOB_MS} ms jobs`,
          originalRate / limitRate,
          '×',
          undefined,
          `${originalRate.toFixed(2)} jobs/s with 2 s after a job`,
        ),
      ],
      details: {
        instantJobs: instant.length,
        warmupJobs: warmup,
        overheadMs: summary(overhead),
        medianPhasesMs: phases,
        slowJobs: { jobs: slowJobs, engineMs: SLOW_JOB_MS, limitRate, workerRate },
        originalSchedule: { jobs: originalJobs, rate: originalRate, schedule: ORIGINAL_SCHEDULE },
      },
    };
  },
};
