// The studio's job queue: jobs in arrival order, the claim rule of PROTOCOL.md, leases that
// expire, and the one place that decides whether a completion or a failure report is accepted.
import { EXT_PATTERN } from './content-types.js';
import type { Capabilities } from './schemas.js';
import type { JobEvent, JobEventKind, JobFailure, JobInput, JobResult, JobView } from './views.js';

export interface QueueSettings {
  leaseMs: number;
  maxAttempts: number;
  now: () => number;
  /** Called after every change of a job. */
  changed: () => void;
}

/** Whether a call about a job may proceed; if not, the HTTP status and why. */
export type Verdict = { ok: true } | { ok: false; status: 404 | 409; message: string };

export interface JobQueue {
  enqueue(input: JobInput): string;
  /** Leases the oldest queued job the worker may take (PROTOCOL.md's rule), if any. */
  claim(workerId: string, capabilities: Capabilities): JobView | undefined;
  /** Checks that `workerId` holds the lease, without changing anything. */
  check(jobId: string, workerId: string): Verdict;
  /** Like check, but a refusal is written into the job's history as a rejected completion. */
  admitCompletion(jobId: string, workerId: string): Verdict;
  complete(jobId: string, workerId: string, result: JobResult): Verdict;
  fail(jobId: string, workerId: string, failure: JobFailure): Verdict;
  /** Requeues (or fails) every job whose lease has run out. */
  sweep(): void;
  list(): JobView[];
  get(jobId: string): JobView | undefined;
}

const JOB_ID = /^[A-Za-z0-9._~-]*[A-Za-z0-9][A-Za-z0-9._~-]*$/;

// Long on purpose (over 120 lines): the queue's methods share the jobs map and its lease state,
// one short function per protocol step (enqueue, claim, check, complete, fail, sweep expired).
export function createJobQueue(settings: QueueSettings): JobQueue {
  const { leaseMs, maxAttempts, now, changed } = settings;
  // A Map iterates in insertion order: that order is the queue's FIFO order, and a requeued
  // job keeps its original place.
  const jobs = new Map<string, JobView>();
  let counter = 0;

  function event(job: JobView, kind: JobEventKind, workerId?: string, detail?: string): void {
    const entry: JobEvent = { at: now(), kind };
    if (workerId !== undefined) entry.workerId = workerId;
    if (detail !== undefined) entry.detail = detail;
    job.history.push(entry);
  }

  function enqueue(input: JobInput): string {
    counter += 1;
    const job = normaliseJob(input, counter, jobs, now());
    jobs.set(job.jobId, job);
    event(job, 'enqueued');
    changed();
    return job.jobId;
  }

  function claim(workerId: string, capabilities: Capabilities): JobView | undefined {
    sweep();
    if (capabilities.autoEnabled === false) return undefined;
    for (const job of jobs.values()) {
      if (job.state !== 'queued') continue;
      if (job.vramGbEstimate > capabilities.vramThresholdGb) continue;
      if (!capabilities.supportedModels.includes(job.model)) continue;
      job.state = 'leased';
      job.attempts += 1;
      job.workerId = workerId;
      job.leaseExpiresAt = now() + leaseMs;
      event(job, 'leased', workerId, `attempt ${job.attempts} of ${maxAttempts}`);
      changed();
      return structuredClone(job);
    }
    return undefined;
  }

  function check(jobId: string, workerId: string): Verdict {
    sweep();
    const job = jobs.get(jobId);
    if (!job) return { ok: false, status: 404, message: `no job ${jobId}` };
    switch (job.state) {
      case 'completed':
        return { ok: false, status: 409, message: `job ${jobId} is already completed` };
      case 'failed':
        return { ok: false, status: 409, message: `job ${jobId} has already failed for good` };
      case 'queued':
        return {
          ok: false,
          status: 409,
          message: `job ${jobId} is not leased to ${workerId}: it is queued (a lease expired or it was retried)`,
        };
      case 'leased':
        return job.workerId === workerId
          ? { ok: true }
          : {
              ok: false,
              status: 409,
              message: `job ${jobId} is leased to another worker, not to ${workerId}`,
            };
    }
  }

  function admitCompletion(jobId: string, workerId: string): Verdict {
    const verdict = check(jobId, workerId);
    const job = jobs.get(jobId);
    if (!verdict.ok && job) {
      event(job, 'completion-rejected', workerId, verdict.message);
      changed();
    }
    return verdict;
  }

  function complete(jobId: string, workerId: string, result: JobResult): Verdict {
    const verdict = admitCompletion(jobId, workerId);
    const job = jobs.get(jobId);
    if (!verdict.ok || !job) return verdict;
    job.state = 'completed';
    job.result = result;
    job.completions += 1;
    delete job.leaseExpiresAt;
    event(job, 'completed', workerId);
    changed();
    return verdict;
  }

  function fail(jobId: string, workerId: string, failure: JobFailure): Verdict {
    const verdict = check(jobId, workerId);
    const job = jobs.get(jobId);
    if (!verdict.ok || !job) return verdict;
    job.error = failure;
    delete job.leaseExpiresAt;
    event(
      job,
      'fail-reported',
      workerId,
      `${failure.retryable ? 'retryable' : 'not retryable'}: ${failure.error}`,
    );
    if (failure.retryable && job.attempts < maxAttempts) {
      job.state = 'queued';
      event(job, 'requeued');
    } else {
      job.state = 'failed';
      event(job, 'failed', workerId);
    }
    changed();
    return verdict;
  }

  function sweep(): void {
    const time = now();
    let expired = false;
    for (const job of jobs.values()) {
      if (job.state !== 'leased' || job.leaseExpiresAt === undefined) continue;
      if (job.leaseExpiresAt > time) continue;
      expired = true;
      delete job.leaseExpiresAt;
      event(job, 'lease-expired', job.workerId, `no completion within ${leaseMs} ms`);
      if (job.attempts < maxAttempts) {
        job.state = 'queued';
        event(job, 'requeued');
      } else {
        job.state = 'failed';
        job.error = {
          error: `lease expired on attempt ${job.attempts} of ${maxAttempts}`,
          retryable: false,
        };
        event(job, 'failed');
      }
    }
    if (expired) changed();
  }

  return {
    enqueue,
    claim,
    check,
    admitCompletion,
    complete,
    fail,
    sweep,
    list() {
      sweep();
      return [...jobs.values()].map((job) => structuredClone(job));
    },
    get(jobId) {
      sweep();
      const job = jobs.get(jobId);
      return job && structuredClone(job);
    },
  };
}

/** Fills in defaults and rejects what a studio would never hand out. */
function normaliseJob(
  input: JobInput,
  counter: number,
  existing: ReadonlyMap<string, JobView>,
  enqueuedAt: number,
): JobView {
  if (typeof input.model !== 'string' || input.model === '') {
    throw new Error(
      `enqueue: model must be a non-empty string (got ${JSON.stringify(input.model)})`,
    );
  }
  const vramGbEstimate = input.vramGbEstimate ?? 1;
  if (!Number.isFinite(vramGbEstimate) || vramGbEstimate < 0) {
    throw new Error(`enqueue: vramGbEstimate must be a number >= 0 (got ${vramGbEstimate})`);
  }
  const ext = input.ext ?? 'webp';
  if (!EXT_PATTERN.test(ext)) {
    throw new Error(`enqueue: ext must be 1-16 letters or digits (got ${JSON.stringify(ext)})`);
  }
  let jobId = input.jobId;
  if (jobId === undefined) {
    let n = counter;
    while (existing.has(`job-${n}`)) n += 1;
    jobId = `job-${n}`;
  } else if (!JOB_ID.test(jobId)) {
    throw new Error(
      `enqueue: jobId may hold only letters, digits and ._~- (got ${JSON.stringify(jobId)})`,
    );
  }
  if (existing.has(jobId)) throw new Error(`enqueue: there is already a job ${jobId}`);
  const job: JobView = {
    jobId,
    gameId: input.gameId ?? 'game-sim',
    assetName: input.assetName ?? `asset-${counter}`,
    model: input.model,
    vramGbEstimate,
    prompt: input.prompt ?? '',
    ext,
    state: 'queued',
    attempts: 0,
    completions: 0,
    enqueuedAt,
    history: [],
  };
  if (input.task !== undefined) {
    if (typeof input.task !== 'object' || input.task === null || Array.isArray(input.task)) {
      throw new Error(`enqueue: task must be a JSON object (got ${JSON.stringify(input.task)})`);
    }
    job.task = structuredClone(input.task) as Record<string, unknown>;
  }
  return job;
}
