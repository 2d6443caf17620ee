// claimTick: deliver what the spool still holds, then take one job and run it. nextDelayFor
// turns its outcome into the wait before the next claim.
import type { RecentJobOutcome } from '../../shared/snapshot.js';
import { StudioError } from '../studio/errors.js';
import type { TickContext } from './context.js';
import { credentialsOf } from './context.js';
import type { JobDeps } from './job.js';
import { runJob } from './job.js';
import type { LoopSchedule } from './schedule.js';
import { backoffFor } from './schedule.js';
import { errorMessage, noteStudioError, noteStudioSuccess } from './studio-state.js';
import { flushSpool, reportFailure } from './upload.js';

export type SkipReason =
  'stopping' | 'draining' | 'unregistered' | 'credentials-rejected' | 'disabled' | 'paused';

export type ClaimOutcome =
  | { kind: 'ran-job'; jobId: string; outcome: RecentJobOutcome }
  | { kind: 'no-jobs' }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'error'; error: StudioError };

export type ClaimDeps = JobDeps & Pick<TickContext, 'flags'>;

/** Why no claim may be made right now, checked before any request. */
export function skipReason(
  deps: Pick<ClaimDeps, 'flags' | 'config' | 'observers'>,
): SkipReason | null {
  const config = deps.config();
  if (deps.flags.stopping) return 'stopping';
  if (deps.flags.draining) return 'draining';
  if (!credentialsOf(config)) return 'unregistered';
  if (deps.observers.registration.kind === 'credentials-rejected') return 'credentials-rejected';
  if (!config.auto_enabled) return 'disabled';
  if (deps.flags.pausedReason) return 'paused';
  return null;
}

export async function claimTick(deps: ClaimDeps): Promise<ClaimOutcome> {
  const reason = skipReason(deps);
  const creds = credentialsOf(deps.config());
  if (reason || !creds) return { kind: 'skipped', reason: reason ?? 'unregistered' };
  try {
    // Results from before (an outage, a restart) go first: nothing new until they are safe.
    const flushed = await flushSpool(deps, creds);
    if (flushed.kind === 'blocked') return { kind: 'error', error: flushed.error };
    // Uploading took time: the user may have paused or snoozed meanwhile.
    const late = skipReason(deps);
    if (late) return { kind: 'skipped', reason: late };

    let claimed;
    try {
      claimed = await deps.studio().claim(creds);
    } catch (error) {
      return await claimFailed(deps, creds, error);
    }
    noteStudioSuccess(deps);
    if (claimed.kind === 'none') return { kind: 'no-jobs' };
    const outcome = await runJob(deps, creds, claimed.job);
    return { kind: 'ran-job', jobId: claimed.job.jobId, outcome };
  } finally {
    deps.observers.set({ spool: await deps.spool.stats() });
  }
}

async function claimFailed(
  deps: ClaimDeps,
  creds: NonNullable<ReturnType<typeof credentialsOf>>,
  error: unknown,
) {
  if (!(error instanceof StudioError)) throw error;
  noteStudioError(deps, error);
  if (error.kind === 'malformed' && error.jobId) {
    // The studio handed us a job we cannot read: say so, so it is not stuck on us until the lease ends.
    await reportFailure(deps, creds, error.jobId, `malformed job: ${errorMessage(error)}`, false);
  }
  return { kind: 'error', error } as const;
}

/** The wait before the next claim. `consecutiveErrors` counts errors before this one. */
export function nextDelayFor(
  outcome: ClaimOutcome,
  schedule: LoopSchedule,
  consecutiveErrors = 0,
  random: () => number = Math.random,
): number {
  switch (outcome.kind) {
    case 'ran-job':
      return schedule.claimAfterJobMs;
    case 'no-jobs':
    case 'skipped':
      return schedule.claimIdleMs;
    case 'error':
      if (outcome.error.credentialsRejected) return schedule.backoffMaxMs;
      return backoffFor(schedule, consecutiveErrors, random, outcome.error.retryAfterMs);
  }
}
