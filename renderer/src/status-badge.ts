// The status page's badge and its one action, and how the last heartbeat reads: pure functions of
// the snapshot (and the time, for ages), so each state is tested from a fixture.
import type { WorkerCommand } from '../../src/shared/bridge';
import type { HeartbeatStatus, WorkerSnapshot } from '../../src/shared/snapshot';
import { workerStatusOf } from '../../src/shared/worker-status';
import { clockTime, formatAge } from './units';

export type Tone = 'ok' | 'busy' | 'paused' | 'warn' | 'error';

export interface BadgeAction {
  label: string;
  command: WorkerCommand;
}

export interface Badge {
  label: string;
  detail: string | null;
  tone: Tone;
  action: BadgeAction | null;
}

const PAUSE: BadgeAction = { label: 'Pause', command: { type: 'setEnabled', enabled: false } };
const REGISTER: BadgeAction = { label: 'Register', command: { type: 'register' } };

export function badgeFor(s: WorkerSnapshot): Badge {
  const status = workerStatusOf(s);
  // A downloaded update waits for the worker to be idle; say so whenever nothing is running.
  if (
    s.update.kind === 'ready' &&
    ['idle', 'disabled', 'paused', 'snoozed'].includes(status.kind)
  ) {
    return {
      label: 'Update ready',
      detail: `version ${s.update.version} is downloaded`,
      tone: 'warn',
      action: { label: 'Restart to update', command: { type: 'installUpdate' } },
    };
  }
  switch (status.kind) {
    case 'idle':
      return { label: 'Idle', detail: 'waiting for jobs', tone: 'ok', action: PAUSE };
    case 'running':
      return {
        label: 'Running a job',
        detail: `${status.job.kind} · ${status.job.model}`,
        tone: 'busy',
        action: PAUSE,
      };
    case 'disabled':
      return {
        label: 'Paused',
        detail: 'claiming is turned off',
        tone: 'paused',
        action: { label: 'Resume', command: { type: 'setEnabled', enabled: true } },
      };
    case 'paused':
      return { label: 'Paused', detail: status.reason, tone: 'paused', action: PAUSE };
    case 'snoozed':
      return {
        label: `Snoozed until ${clockTime(status.until)}`,
        detail: null,
        tone: 'paused',
        action: { label: 'Resume', command: { type: 'snooze', minutes: 0 } },
      };
    case 'offline':
      return {
        label: `Offline: ${status.reason}`,
        detail: null,
        tone: 'error',
        action: s.enabled ? PAUSE : null,
      };
    case 'credentials-rejected':
      return {
        label: 'Credentials rejected',
        detail: status.message,
        tone: 'error',
        action: REGISTER,
      };
    case 'unregistered':
      return status.registering
        ? { label: 'Registering…', detail: null, tone: 'warn', action: null }
        : { label: 'Not registered', detail: null, tone: 'warn', action: REGISTER };
    case 'draining':
      return {
        label: 'Finishing up before an update',
        detail: 'no new jobs until the update is installed',
        tone: 'paused',
        action: null,
      };
    case 'stopping':
      return {
        label: 'Stopping',
        detail: status.job ? `after the current ${status.job.kind} job` : null,
        tone: 'paused',
        action: null,
      };
  }
}

/** A heartbeat older than this is shown as stale: the loop beats every few seconds. */
export const HEARTBEAT_STALE_MS = 30_000;

export interface HeartbeatView {
  text: string;
  tone: 'ok' | 'stale' | 'failed' | 'none';
}

export function heartbeatView(hb: HeartbeatStatus | null, now: number): HeartbeatView {
  if (!hb) return { text: 'none yet', tone: 'none' };
  const age = formatAge(now - Date.parse(hb.attemptedAt));
  switch (hb.outcome.kind) {
    case 'error':
      return { text: `failed ${age}: ${hb.outcome.message}`, tone: 'failed' };
    case 'skipped':
      return {
        text: `skipped ${age} (${hb.outcome.reason === 'unregistered' ? 'not registered' : 'stopping'})`,
        tone: 'stale',
      };
    case 'ok':
      return now - Date.parse(hb.attemptedAt) > HEARTBEAT_STALE_MS
        ? { text: `${age} — stale`, tone: 'stale' }
        : { text: age, tone: 'ok' };
  }
}
