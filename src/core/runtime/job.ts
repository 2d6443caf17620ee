// The job pipeline: resolve the task, run the engine with a timeout, spool the result, upload
// it, and report failures — one claimed job from start to its entry in the recent-jobs ring.
import type { CurrentJob, RecentJobOutcome } from '../../shared/snapshot.js';
import type { Engine, EngineResult, RunContext } from '../engine/engine.js';
import { EngineJobError } from '../engine/engine.js';
import { isUnreachable } from '../engine/health-gate.js';
import type { Credentials } from '../studio/api.js';
import type { ClaimedJob } from '../task/task.js';
import { isUnsupportedKind, promptFor, resolveTask } from '../task/task.js';
import type { Clock } from './clock.js';
import { isoTime } from './clock.js';
import type { TickContext } from './context.js';
import { promptPreview } from './observers.js';
import { errorMessage } from '../errors/message.js';
import type { UploadDeps } from './upload.js';
import { deliverSpooled, outcomeOfDelivery, reportFailure } from './upload.js';

export type JobDeps = UploadDeps &
  Pick<TickContext, 'engine' | 'clock'> &
  Partial<Pick<TickContext, 'hold'>> & {
    /** Checks the engine's health at once (a job failed because its server did not answer). */
    checkEngine?: () => Promise<unknown>;
  };

/** The hold an engine's "the GPU is busy" failure (out of memory) puts on claiming. */
export const GPU_BUSY_HOLD = 'gpu-busy';

/** Runs the engine, giving up after `timeoutMs` or when `killSignal` aborts. */
async function runEngine(
  engine: Engine,
  job: ClaimedJob,
  task: ReturnType<typeof resolveTask>,
  timeoutMs: number,
  killSignal: AbortSignal,
  context: RunContext,
  clock: Pick<Clock, 'setTimer'>,
): Promise<EngineResult> {
  const timeout = new AbortController();
  const cancelTimeout = clock.setTimer(() => timeout.abort(), timeoutMs);
  const signal = AbortSignal.any([timeout.signal, killSignal]);
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () =>
      reject(
        new Error(
          timeout.signal.aborted
            ? `job timed out after ${Math.round(timeoutMs / 1000)} s (job_timeout_secs)`
            : 'job stopped: the worker is shutting down and the grace period ran out',
        ),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // Race so that an engine which ignores its signal still cannot hold the worker past the limit.
  try {
    return await Promise.race([engine.run(job.model, task, signal, context), aborted]);
  } finally {
    cancelTimeout();
  }
}

export async function runJob(
  deps: JobDeps,
  creds: Credentials,
  job: ClaimedJob,
): Promise<RecentJobOutcome> {
  const task = resolveTask(job);
  const prompt = promptFor(task);
  const startedMs = deps.clock.now();
  const current: CurrentJob = {
    id: job.jobId,
    kind: task.kind,
    model: job.model,
    promptPreview: promptPreview(prompt),
    startedAt: isoTime(startedMs),
  };
  deps.observers.jobStarted(current);
  deps.log.info('job', `started ${task.kind} job (model ${job.model})`, job.jobId);

  const outcome = await produceAndDeliver(deps, creds, job, task, prompt, current.startedAt);
  const finishedMs = deps.clock.now();
  deps.observers.jobFinished({
    ...current,
    finishedAt: isoTime(finishedMs),
    durationMs: finishedMs - startedMs,
    outcome,
  });
  return outcome;
}

async function produceAndDeliver(
  deps: JobDeps,
  creds: Credentials,
  job: ClaimedJob,
  task: ReturnType<typeof resolveTask>,
  prompt: string,
  startedAt: string,
): Promise<RecentJobOutcome> {
  const timeoutMs = deps.config().job_timeout_secs * 1000;
  let result: EngineResult;
  try {
    result = await runEngine(
      deps.engine,
      job,
      task,
      timeoutMs,
      deps.killSignal,
      {
        jobId: job.jobId,
        progress: (p) =>
          deps.observers.jobProgress(job.jobId, {
            done: p.done,
            total: p.total,
            unit: p.unit,
            stage: p.stage ?? null,
            updatedAt: isoTime(deps.clock.now()),
          }),
      },
      deps.clock,
    );
  } catch (error) {
    const message = deps.log.redact(errorMessage(error));
    const retryable = error instanceof EngineJobError ? error.retryable : !isUnsupportedKind(error);
    deps.log.error('job', `engine failed: ${message}`, job.jobId);
    if (error instanceof EngineJobError && error.gpuBusyMs > 0) holdGpu(deps, error.gpuBusyMs);
    await reportFailure(deps, creds, job.jobId, message, retryable);
    // Not at the next minute's check: until then every claim would fail the same way.
    if (isUnreachable(error)) await deps.checkEngine?.();
    return { kind: 'failed', error: message, retryable };
  }

  let entry;
  try {
    entry = await deps.spool.put({
      jobId: job.jobId,
      kind: task.kind,
      model: job.model,
      prompt,
      startedAt,
      finishedAt: isoTime(deps.clock.now()),
      result,
    });
  } catch (error) {
    const message = `could not keep the result in the spool at ${deps.spool.dir}: ${errorMessage(error)}`;
    deps.log.error('spool', message, job.jobId);
    await reportFailure(deps, creds, job.jobId, message, true);
    return { kind: 'failed', error: message, retryable: true };
  }
  return outcomeOfDelivery(await deliverSpooled(deps, creds, entry));
}

/**
 * Pauses claiming for `ms` after the engine found the GPU busy (out of memory), so the next job
 * does not fail the same way while the memory is still held; the holds release it (or a stop, with the worker).
 */
function holdGpu(deps: JobDeps, ms: number): void {
  const seconds = Math.round(ms / 1000);
  deps.hold?.(GPU_BUSY_HOLD, `GPU out of memory: waiting ${seconds} s before the next job`, ms);
  deps.log.warn('job', `GPU out of memory: no new job for ${seconds} s`);
}
