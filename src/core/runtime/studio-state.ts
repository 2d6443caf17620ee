// How the outcome of any studio call shows in the observers: online/offline with the reason,
// and the visible "credentials rejected" state for 401/403.
import { StudioError } from '../studio/errors.js';
import { errorMessage } from '../errors/message.js';
import type { TickContext } from './context.js';

export function noteStudioSuccess(ctx: Pick<TickContext, 'observers' | 'config' | 'log'>): void {
  const { observers } = ctx;
  if (observers.connection.kind === 'offline') {
    ctx.log.info('studio', 'studio reachable again');
  }
  const workerId = ctx.config().worker_id;
  // The studio answered: whatever its last error was, it works again.
  const patch: Parameters<typeof observers.set>[0] = {
    connection: { kind: 'online' },
    lastError: null,
  };
  if (workerId && observers.registration.kind !== 'registered') {
    patch.registration = { kind: 'registered', workerId };
  }
  observers.set(patch);
}

/** Records a failed studio call; logs only when the visible state changes, so an outage does
 * not flood the log (and the log queue) with one line per retry. */
export function noteStudioError(
  ctx: Pick<TickContext, 'observers' | 'config' | 'log'>,
  error: unknown,
): void {
  const { observers } = ctx;
  // A call the stop cut short says nothing about the studio.
  if (error instanceof StudioError && error.kind === 'stopped') return;
  const message = ctx.log.redact(errorMessage(error));
  if (error instanceof StudioError && error.credentialsRejected) {
    if (observers.registration.kind !== 'credentials-rejected') {
      ctx.log.error(
        'studio',
        `credentials rejected: ${message} — run \`studio-worker register --reset\``,
      );
    }
    const workerId = ctx.config().worker_id ?? undefined;
    observers.set({
      registration: { kind: 'credentials-rejected', message, ...(workerId ? { workerId } : {}) },
      lastError: message,
    });
    return;
  }
  if (error instanceof StudioError && error.transient) {
    if (observers.connection.kind !== 'offline')
      ctx.log.warn('studio', `studio unreachable: ${message}`);
    observers.set({ connection: { kind: 'offline', reason: message }, lastError: message });
    return;
  }
  ctx.log.error('studio', message);
  observers.set({ lastError: message });
}
