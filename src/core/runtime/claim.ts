// claimTick: deliver what the spool still holds, then take one job and run it. nextDelayFor
// turns its outcome into the wait before the next claim.
import type { RecentJobOutcome } from '../../shared/snapshot.js';
import { StudioError } from '../studio/errors.js';
import { jobLimitProblem, jobLimitsOf } from '../task/limits.js';
import { resolveTask } from '../task/task.js';
import { claimedJobFit } from './admission.js';
import type { TickContext } from './context.js';
import { credentialsOf } from './context.js';
import { engineHealthTick } from './engine-health.js';
import { heartbeatTick } from './heartbeat.js';
import type { JobDeps } from './job.js';
import { runJob } from './job.js';
import type { LoopSchedule } from './schedule.js';
import { backoffFor } from './schedule.js';
import { noteStudioError, noteStudioSuccess } from './studio-state.js';
import { errorMessage } from '../errors/message.js';
import { flushSpool, reportFailure } from './upload.js';

export type SkipReason =
  | 'stopping'
  | 'draining'
  | 'unregistered'
  | 'credentials-rejected'
  | 'disabled'
  | 'paused'
  /** The spool cannot take a new result (unwritable or disk nearly full). */
  | 'spool';

export type ClaimOutcome =
  | { kind: 'ran-job'; jobId: string; outcome: RecentJobOutcome }
  | { kind: 'no-jobs' }
  /** Claimed but not run: it no longer fits the free VRAM; reported as a retryable failure. */
  | { kind: 'refused-job'; jobId: string; reason: string }
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'error'; error: StudioError };

export type ClaimDeps = JobDeps &
  Pick<TickContext, 'flags' | 'host' | 'agentVersion' | 'hold' | 'spoolMinFreeBytes'>;

const SPOOL_HOLD = 'spool';

/**
 * Never claims a job whose result could not be kept: holds claiming with the reason instead.
 * Checked before every claim (one probe write and a statfs), because a claim made on a stale
 * verdict costs the studio a failed job when the disk filled up in between.
 */
async function spoolReady(deps: ClaimDeps): Promise<boolean> {
  const problem = await deps.spool.problem(deps.spoolMinFreeBytes);
  deps.hold(SPOOL_HOLD, problem);
  return problem === null;
}

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
  // The spool's own hold is re-checked by claimTick itself, so it must not block that check.
  if ([...deps.flags.holds.keys()].some((source) => source !== SPOOL_HOLD)) return 'paused';
  return null;
}

export async function claimTick(deps: ClaimDeps): Promise<ClaimOutcome> {
  const reason = skipReason(deps);
  const creds = credentialsOf(deps.config());
  if (reason || !creds) return { kind: 'skipped', reason: reason ?? 'unregistered' };
  try {
    if (!(await spoolReady(deps))) return { kind: 'skipped', reason: 'spool' };
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
    // Beyond this machine's limits is not beyond the protocol: hand it back for another worker.
    const limit = jobLimitProblem(resolveTask(claimed.job), jobLimitsOf(deps.config()));
    if (limit) {
      const message = `the job is beyond this worker's limits: ${limit}`;
      return await handBack(deps, creds, claimed.job.jobId, limit, message);
    }
    const fit = claimedJobFit(claimed.job.vramGbEstimate, deps.config(), await deps.host.probe());
    if (fit.kind === 'too-large')
      return await refuseJob(deps, creds, claimed.job.jobId, fit.reason);
    const checkEngine = () => engineHealthTick({ ...deps, announce: () => heartbeatTick(deps) });
    const outcome = await runJob({ ...deps, checkEngine }, creds, claimed.job);
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

/**
 * Hands a claimed job back without running it, as a retryable failure (`message` is what the
 * studio is told) so the studio gives it to another worker.
 */
async function handBack(
  deps: ClaimDeps,
  creds: NonNullable<ReturnType<typeof credentialsOf>>,
  jobId: string,
  reason: string,
  message: string,
): Promise<ClaimOutcome> {
  deps.log.warn('admission', `not running this job: ${reason}`, jobId);
  await reportFailure(deps, creds, jobId, message, true);
  return { kind: 'refused-job', jobId, reason };
}

/**
 * Hands back a job too big for the free VRAM, then heartbeats at once so the studio stops
 * offering this worker jobs that big.
 */
async function refuseJob(
  deps: ClaimDeps,
  creds: NonNullable<ReturnType<typeof credentialsOf>>,
  jobId: string,
  reason: string,
): Promise<ClaimOutcome> {
  const message = `the worker's GPU is too busy for this job: ${reason}`;
  const outcome = await handBack(deps, creds, jobId, reason, message);
  await heartbeatTick(deps);
  return outcome;
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
    case 'refused-job':
    case 'skipped':
      return schedule.claimIdleMs;
    case 'error':
      if (outcome.error.credentialsRejected) return schedule.backoffMaxMs;
      // A 400 or a body that breaks the protocol will not mend in half a second: like the
      // original worker, wait at least the idle interval, so a broken studio is not hammered.
      if (!outcome.error.transient) {
        const backoff = backoffFor(schedule, consecutiveErrors, random, outcome.error.retryAfterMs);
        return Math.max(schedule.claimIdleMs, backoff);
      }
      return backoffFor(schedule, consecutiveErrors, random, outcome.error.retryAfterMs);
  }
}
