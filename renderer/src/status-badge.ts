// The status page's badge and its one action, and how the last heartbeat reads: pure functions of
// the snapshot (and the time, for ages), so each state is tested from a fixture.
import type { WorkerCommand } from '../../src/shared/bridge';
import type { HeartbeatStatus, WorkerSnapshot } from '../../src/shared/snapshot';
import { headlineOf, healthOf } from '../../src/shared/health';
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
  /** When this state began (ISO), where the worker tracked it. */
  since?: string | null;
}

const PAUSE: BadgeAction = { label: 'Pause', command: { type: 'setEnabled', enabled: false } };
const SNOOZE_OFF: BadgeAction = { label: 'Resume', command: { type: 'snooze', minutes: 0 } };
const REGISTER: BadgeAction = { label: 'Register', command: { type: 'register' } };

const RESUME: BadgeAction = { label: 'Resume', command: { type: 'setEnabled', enabled: true } };

/**
 * The badge is the one headline (src/shared/health.ts) split into its title and its detail, with
 * a tone for the colour and the action that fits the state.
 */
export function badgeFor(s: WorkerSnapshot): Badge {
  return { ...headlineBadge(s), since: healthOf(s).since };
}

function headlineBadge(s: WorkerSnapshot): Badge {
  const { state, summary } = headlineOf(s);
  const cut = summary.indexOf(': ');
  const title = cut < 0 ? summary : summary.slice(0, cut);
  const rest = cut < 0 ? null : summary.slice(cut + 2);
  const badge = (tone: Tone, action: BadgeAction | null): Badge => ({
    label: title,
    detail: rest,
    tone,
    action,
  });
  // A downloaded update waits for the worker to be idle; say so whenever nothing is running.
  if (s.update.kind === 'ready' && (state.kind === 'idle' || state.kind === 'paused')) {
    return {
      label: 'Update ready',
      detail: `version ${s.update.version} is downloaded`,
      tone: 'warn',
      action: { label: 'Restart to update', command: { type: 'installUpdate' } },
    };
  }
  switch (state.kind) {
    case 'idle':
      return badge('ok', PAUSE);
    case 'working':
      return badge('busy', PAUSE);
    case 'pausing':
      return badge('busy', s.enabled ? SNOOZE_OFF : RESUME);
    case 'paused':
      if (state.until)
        return {
          label: `Snoozed until ${clockTime(state.until)}`,
          detail: null,
          tone: 'paused',
          action: SNOOZE_OFF,
        };
      return badge('paused', s.enabled ? PAUSE : RESUME);
    case 'failing':
      return badge('error', PAUSE);
    case 'cannot-take-jobs':
      return badge('error', null);
    case 'studio-unreachable':
      return badge('error', s.enabled ? PAUSE : null);
    case 'token-rejected':
      return badge('error', REGISTER);
    case 'not-registered':
      return s.registration.kind === 'registering'
        ? { label: 'Registering…', detail: null, tone: 'warn', action: null }
        : badge('warn', REGISTER);
    case 'updating':
      return {
        label: title,
        detail: 'no new jobs until the update is installed',
        tone: 'paused',
        action: null,
      };
    case 'stopping':
      return {
        label: title,
        detail: s.currentJob ? `after the current ${s.currentJob.kind} job` : null,
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
