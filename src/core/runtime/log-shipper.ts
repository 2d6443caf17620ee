// logShipperTick: send queued log entries to the studio in bounded batches; a batch that fails
// goes back to the front of the queue for the next tick.
import type { StudioError } from '../studio/errors.js';
import { LOG_BATCH_MAX } from './constants.js';
import type { TickContext } from './context.js';
import { credentialsOf } from './context.js';

export type LogShipOutcome =
  | { kind: 'shipped'; count: number }
  | { kind: 'idle' }
  | { kind: 'skipped'; reason: 'unregistered' }
  | { kind: 'error'; shipped: number; requeued: number; error: StudioError | Error };

export type LogShipperDeps = Pick<TickContext, 'config' | 'studio' | 'logQueue' | 'observers'>;

/** Ships up to `maxBatches` batches of at most `batchMax` entries. */
export async function logShipperTick(
  deps: LogShipperDeps,
  batchMax = LOG_BATCH_MAX,
  maxBatches = 10,
): Promise<LogShipOutcome> {
  const creds = credentialsOf(deps.config());
  if (!creds) return { kind: 'skipped', reason: 'unregistered' };
  let shipped = 0;
  try {
    for (let i = 0; i < maxBatches && deps.logQueue.size > 0; i += 1) {
      const batch = deps.logQueue.take(batchMax);
      try {
        await deps.studio().shipLogs(creds, batch);
      } catch (error) {
        deps.logQueue.requeue(batch);
        // No log line here: it would go into the very queue that cannot be shipped.
        return {
          kind: 'error',
          shipped,
          requeued: batch.length,
          error: error instanceof Error ? error : new Error(String(error)),
        };
      }
      shipped += batch.length;
    }
    return shipped > 0 ? { kind: 'shipped', count: shipped } : { kind: 'idle' };
  } finally {
    deps.observers.setLogsDropped(deps.logQueue.dropped);
  }
}
