// Delivering results: upload a spooled result (with retries), report a failed job, and flush
// whatever the spool still holds before new work is claimed.
import type { RecentJobOutcome } from '../../shared/snapshot.js';
import type { Credentials } from '../studio/api.js';
import { StudioError } from '../studio/errors.js';
import { isRoutableId } from '../task/task.js';
import { UPLOAD_ATTEMPTS } from './constants.js';
import { retry, studioRetryPolicy } from './retry.js';
import type { TickContext } from './context.js';
import type { SpoolEntry } from './spool.js';
import { SpoolCorruptError } from './spool.js';
import { noteStudioError, noteStudioSuccess } from './studio-state.js';
import { errorMessage } from '../errors/message.js';

export type UploadDeps = Pick<
  TickContext,
  | 'config'
  | 'studio'
  | 'observers'
  | 'log'
  | 'spool'
  | 'schedule'
  | 'killSignal'
  | 'random'
  | 'clock'
>;

/** What became of one spooled result. */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** 404/409/410: the studio no longer wants it; the spool entry was dropped. */
  | { kind: 'gone'; error: string }
  /** A permanent error: the job was reported with `fail` and the entry dropped. */
  | { kind: 'gave-up'; error: string }
  /** Transient error or credentials rejected after the retries: the result stays in the spool. */
  | { kind: 'kept'; error: StudioError };

/** Reports a job as failed (`retryable` tells the studio whether to give it to someone else). */
export async function reportFailure(
  deps: UploadDeps,
  creds: Credentials,
  jobId: string,
  error: string,
  retryable: boolean,
): Promise<void> {
  try {
    await retry(
      () => deps.studio().fail(creds, jobId, { error, retryable }),
      studioRetryPolicy(deps, UPLOAD_ATTEMPTS),
      deps.killSignal,
    );
    deps.log.warn(
      'job',
      `reported failure to the studio (retryable: ${retryable}): ${error}`,
      jobId,
    );
  } catch (failError) {
    noteStudioError(deps, failError);
    deps.log.error(
      'job',
      `could not report the failure to the studio (its lease will expire and requeue the job): ${errorMessage(failError)}`,
      jobId,
    );
  }
}

export async function deliverSpooled(
  deps: UploadDeps,
  creds: Credentials,
  entry: SpoolEntry,
  attempts = UPLOAD_ATTEMPTS,
): Promise<DeliveryOutcome> {
  const { jobId } = entry;
  let filePath: string | undefined;
  try {
    filePath = entry.result.type === 'bytes' ? await deps.spool.dataPath(entry) : undefined;
  } catch (error) {
    if (!(error instanceof SpoolCorruptError)) throw error;
    // Reported before it moves: a stop in between reports it again rather than never.
    await reportFailure(deps, creds, jobId, 'result was damaged on disk before upload', true);
    const where = await deps.spool.quarantine(jobId);
    deps.log.error('spool', `${error.message}: never uploaded, moved to ${where}`, jobId);
    return { kind: 'gave-up', error: error.message };
  }
  if (!isRoutableId(jobId)) {
    // Only an earlier version could spool such an id; no URL can carry it (see isRoutableId).
    const where = await deps.spool.quarantine(jobId);
    const message = `job id ${JSON.stringify(jobId)} cannot be sent in a URL: result moved to ${where}`;
    deps.log.error('spool', message, jobId);
    return { kind: 'gave-up', error: message };
  }
  try {
    await retry(
      () =>
        filePath !== undefined && entry.result.type === 'bytes'
          ? deps
              .studio()
              .complete(creds, jobId, { prompt: entry.prompt, ext: entry.result.ext, filePath })
          : deps.studio().completeJson(creds, jobId, {
              prompt: entry.prompt,
              result: entry.result.type === 'json' ? entry.result.value : null,
            }),
      studioRetryPolicy(deps, attempts),
      deps.killSignal,
    );
    noteStudioSuccess(deps);
    await deps.spool.remove(jobId);
    deps.log.info('job', 'result uploaded', jobId);
    return { kind: 'delivered' };
  } catch (error) {
    const message = deps.log.redact(errorMessage(error));
    if (error instanceof StudioError && error.gone) {
      await deps.spool.remove(jobId);
      deps.log.warn(
        'job',
        `the studio no longer wants this result (${error.status}); dropped it: ${message}`,
        jobId,
      );
      return { kind: 'gone', error: message };
    }
    if (error instanceof StudioError && (error.transient || error.credentialsRejected)) {
      noteStudioError(deps, error);
      deps.log.warn(
        'job',
        `upload failed, result kept in the spool for a later try: ${message}`,
        jobId,
      );
      return { kind: 'kept', error };
    }
    deps.log.error('job', `upload rejected, giving up on this result: ${message}`, jobId);
    await reportFailure(deps, creds, jobId, `upload failed: ${message}`, true);
    await deps.spool.remove(jobId);
    return { kind: 'gave-up', error: message };
  }
}

/** What a delivery means for the job's entry in the recent-jobs list. */
export function outcomeOfDelivery(delivery: DeliveryOutcome): RecentJobOutcome {
  switch (delivery.kind) {
    case 'delivered':
      return { kind: 'completed' };
    case 'gone':
    case 'gave-up':
      return { kind: 'failed', error: delivery.error, retryable: true };
    case 'kept':
      return { kind: 'spooled', error: delivery.error.message };
  }
}

/** Uploads what the spool holds, oldest first. Stops at the first result that must stay. */
export async function flushSpool(
  deps: UploadDeps,
  creds: Credentials,
): Promise<{ kind: 'flushed'; count: number } | { kind: 'blocked'; error: StudioError }> {
  await reportDamaged(deps, creds);
  let count = 0;
  for (const entry of await deps.spool.list()) {
    const delivery = await deliverSpooled(deps, creds, entry, 1);
    if (delivery.kind === 'kept') return { kind: 'blocked', error: delivery.error };
    count += 1;
  }
  return { kind: 'flushed', count };
}

/**
 * Spooled results whose metadata is unreadable but names its job: the result cannot be
 * delivered, so the studio hears it failed (retryable: someone runs it again) and the files move
 * into quarantine/ — reported first, so a stop in between reports it again rather than never.
 */
async function reportDamaged(deps: UploadDeps, creds: Credentials): Promise<void> {
  for (const jobId of deps.spool.damaged()) {
    await reportFailure(
      deps,
      creds,
      jobId,
      'the result was damaged on disk before upload (unreadable spool metadata)',
      true,
    );
    const where = await deps.spool.quarantine(jobId);
    deps.log.error('spool', `unreadable spooled result moved to ${where}`, jobId);
  }
}
