// The one honest headline: which state the worker is in, how bad it is and one sentence for a
// person. A pure function of the snapshot, so the window's badge, the tray icon and tooltip and
// `status --json` can never disagree. When the state began (`since`) is tracked by the
// observers, which see every change; this module only reads it back.
import type { WorkerSnapshot } from './snapshot.js';

export type HealthLevel = 'ok' | 'warning' | 'error';

export type HeadlineState =
  | { kind: 'working'; jobKind: string; model: string }
  | { kind: 'idle' }
  | { kind: 'pausing'; jobKind: string }
  | { kind: 'paused'; why: string; until: string | null; byOwner: boolean }
  | { kind: 'stopping' }
  | { kind: 'updating' }
  | { kind: 'failing'; failed: number; of: number; reason: string }
  | { kind: 'cannot-take-jobs'; why: string }
  | { kind: 'not-registered'; why: string }
  | { kind: 'studio-unreachable'; why: string }
  | { kind: 'token-rejected'; why: string };

export interface Headline {
  state: HeadlineState;
  level: HealthLevel;
  summary: string;
}

/** What `status --json` and the window carry: the headline with the time its state began. */
export interface Health {
  level: HealthLevel;
  summary: string;
  /** ISO time the current state began, or null where no observer saw it begin. */
  since: string | null;
  state: HeadlineState['kind'] | 'not-running';
}

/**
 * For `studio-worker status` when no worker process runs: whatever the config says, nothing
 * takes jobs, and a headline computed from a snapshot nobody drives would read "Idle".
 */
export const NOT_RUNNING_HEALTH: Health = {
  level: 'warning',
  summary: 'Not running: start it with `studio-worker run` or the Studio Worker app',
  since: null,
  state: 'not-running',
};

/** How many finished jobs the failing rule looks at, newest first. */
export const FAILING_WINDOW = 10;
/** At least this many failures among them, and at least half, with the newest one failed. */
export const FAILING_MIN = 3;

export function headlineOf(s: WorkerSnapshot): Headline {
  const state = stateOf(s);
  return { state, level: levelOf(state), summary: summaryOf(state) };
}

/** The headline plus its `since`, which counts only while the observers' key matches. */
export function healthOf(s: WorkerSnapshot): Health {
  const h = headlineOf(s);
  const key = headlineKey(h);
  return {
    level: h.level,
    summary: h.summary,
    since: s.headline?.key === key ? s.headline.since : null,
    state: h.state.kind,
  };
}

/**
 * What must change for a state to count as new: the kind and the level, not the wording (a
 * running job's model, a failure count going from 8 to 9 of 10 is the same state).
 */
export function headlineKey(h: Headline): string {
  return `${h.state.kind}:${h.level}`;
}

function stateOf(s: WorkerSnapshot): HeadlineState {
  if (s.stopping) return { kind: 'stopping' };
  if (s.registration.kind === 'credentials-rejected')
    return { kind: 'token-rejected', why: s.registration.message };
  if (s.registration.kind !== 'registered')
    return {
      kind: 'not-registered',
      why: s.registration.kind === 'registering' ? 'registering now' : notRegisteredWhy(s),
    };
  if (s.connection.kind === 'offline')
    return { kind: 'studio-unreachable', why: s.connection.reason };
  const job = s.currentJob;
  const pausedByOwner = !s.enabled || s.snoozedUntil !== null;
  if (job && pausedByOwner) return { kind: 'pausing', jobKind: job.kind };
  // A standing reason no job can run says more than the failures it causes, and more than a
  // pause: resuming would not help.
  const cannot = job ? null : cannotTakeJobsWhy(s);
  if (cannot) return { kind: 'cannot-take-jobs', why: cannot };
  const failing = failingOf(s);
  if (failing) return failing;
  if (job) return { kind: 'working', jobKind: job.kind, model: job.model };
  if (s.draining) return { kind: 'updating' };
  if (!s.enabled) return { kind: 'paused', why: 'you paused it', until: null, byOwner: true };
  if (s.pausedReason)
    return {
      kind: 'paused',
      why: s.pausedReason,
      until: s.snoozedUntil,
      byOwner: s.snoozedUntil !== null,
    };
  return { kind: 'idle' };
}

function notRegisteredWhy(s: WorkerSnapshot): string {
  if (s.lastError) return s.lastError;
  return s.settings.hasBootstrapToken
    ? 'press Register to join the studio'
    : 'enter a bootstrap token from the studio to register';
}

/** "8 of the last 10 jobs failed": a run of failures, judged on the newest finished jobs. */
function failingOf(s: WorkerSnapshot): HeadlineState | null {
  const last = s.recentJobs.slice(0, FAILING_WINDOW);
  const newest = last[0];
  if (!newest || newest.outcome.kind !== 'failed') return null;
  const failed = last.filter((j) => j.outcome.kind === 'failed').length;
  if (failed < FAILING_MIN || failed * 2 < last.length) return null;
  return { kind: 'failing', failed, of: last.length, reason: newest.outcome.error };
}

/** Why no job can ever be admitted as things stand, or null when some could be. */
function cannotTakeJobsWhy(s: WorkerSnapshot): string | null {
  if (!(s.vramThresholdGb > 0))
    return `the VRAM threshold is ${s.vramThresholdGb} GB, so no job fits — raise it in Settings`;
  const engine = s.engineHealth;
  if (engine && !engine.reachable)
    return `the ${s.engine} engine does not answer${engine.error ? `: ${engine.error}` : ''}`;
  const needs = Object.values(engine?.modelVramGb ?? {}).filter((n) => Number.isFinite(n));
  if (needs.length > 0) {
    const smallest = Math.min(...needs);
    if (smallest > s.vramThresholdGb)
      return `the VRAM threshold (${s.vramThresholdGb} GB) is below the smallest model's need (${smallest} GB)`;
  }
  return null;
}

function levelOf(state: HeadlineState): HealthLevel {
  switch (state.kind) {
    case 'working':
    case 'idle':
    case 'pausing':
      return 'ok';
    case 'paused':
    case 'stopping':
    case 'updating':
    case 'not-registered':
      return 'warning';
    case 'failing':
    case 'cannot-take-jobs':
    case 'studio-unreachable':
    case 'token-rejected':
      return 'error';
  }
}

function summaryOf(state: HeadlineState): string {
  switch (state.kind) {
    case 'working':
      return `Working: ${state.jobKind} job (${state.model})`;
    case 'idle':
      return 'Idle: waiting for jobs';
    case 'pausing':
      return `Pausing after this ${state.jobKind} job…`;
    case 'paused':
      return `Paused: ${state.why}`;
    case 'stopping':
      return 'Stopping';
    case 'updating':
      return 'Finishing up before an update';
    case 'failing':
      return `Failing: ${state.failed} of the last ${state.of} jobs failed: ${state.reason}`;
    case 'cannot-take-jobs':
      return `Cannot take jobs: ${state.why}`;
    case 'not-registered':
      return `Not registered: ${state.why}`;
    case 'studio-unreachable':
      return `Studio unreachable: ${state.why}`;
    case 'token-rejected':
      return `Token rejected: ${state.why} — enter a new bootstrap token`;
  }
}
