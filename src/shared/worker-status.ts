// What the worker is doing, as one discriminated union: the order of precedence between the
// snapshot's flags lives here once, for the CLI's status line, the tray and the window's badge.
import type { CurrentJob, WorkerSnapshot } from './snapshot.js';

export type WorkerStatus =
  | { kind: 'stopping'; job: CurrentJob | null }
  | { kind: 'credentials-rejected'; message: string }
  | { kind: 'unregistered'; registering: boolean }
  | { kind: 'offline'; reason: string }
  | { kind: 'running'; job: CurrentJob }
  | { kind: 'draining' }
  | { kind: 'disabled' }
  | { kind: 'snoozed'; until: string; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'idle' };

export function workerStatusOf(s: WorkerSnapshot): WorkerStatus {
  if (s.stopping) return { kind: 'stopping', job: s.currentJob };
  if (s.registration.kind === 'credentials-rejected')
    return { kind: 'credentials-rejected', message: s.registration.message };
  if (s.registration.kind !== 'registered')
    return { kind: 'unregistered', registering: s.registration.kind === 'registering' };
  if (s.connection.kind === 'offline') return { kind: 'offline', reason: s.connection.reason };
  if (s.currentJob) return { kind: 'running', job: s.currentJob };
  if (s.draining) return { kind: 'draining' };
  if (!s.enabled) return { kind: 'disabled' };
  if (s.pausedReason && s.snoozedUntil)
    return { kind: 'snoozed', until: s.snoozedUntil, reason: s.pausedReason };
  if (s.pausedReason) return { kind: 'paused', reason: s.pausedReason };
  return { kind: 'idle' };
}
