// The job pipeline: resolve the task, run the engine with a timeout, spool the result, upload
// it, and report failures — one claimed job from start to its entry in the recent-jobs ring.
import type { CurrentJob, RecentJobOutcome } from '../../shared/snapshot.js';
import type { Engine, EngineResult } from '../engine/engine.js';
import type { Credentials } from '../studio/api.js';
import type { ClaimedJob } from '../task/task.js';
import { isUnsupportedKind, promptFor, resolveTask } from '../task/task.js';
import { isoTime } from './clock.js';
import type { TickContext } from './context.js';
import { promptPreview } from './observers.js';
import { errorMessage } from '../errors/message.js';
import type { UploadDeps } from './upload.js';
import { deliverSpooled, outcomeOfDelivery, reportFailure } from './upload.js';

export type JobDeps = UploadDeps & Pick<TickContext, 'engine' | 'clock'>;

/** Runs the engine, giving up after `timeoutMs` or when `killSignal` aborts. */
async function runEngine(
  engine: Engine,
  job: ClaimedJob,
  task: ReturnType<typeof resolveTask>,
  timeoutMs: number,
  killSignal: AbortSignal,
): Promise<EngineResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([timeout, killSignal]);
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () =>
      reject(
        new Error(
          timeout.aborted
            ? `job timed out after ${Math.round(timeoutMs / 1000)} s (job_timeout_secs)`
            : 'job stopped: the worker is shutting down and the grace period ran out',
        ),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // Race so that an engine which ignores its signal still cannot hold the worker past the limit.
  return Promise.race([engine.run(job.model, task, signal), aborted]);
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
    result = await runEngine(deps.engine, job, task, timeoutMs, deps.killSignal);
  } catch (error) {
    const message = deps.log.redact(errorMessage(error));
    const retryable = !isUnsupportedKind(error);
    deps.log.error('job', `engine failed: ${message}`, job.jobId);
    await reportFailure(deps, creds, job.jobId, message, retryable);
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
