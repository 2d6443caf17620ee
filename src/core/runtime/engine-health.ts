// engineHealthTick: ask the engine's server what it offers (re-discovering its models, so new
// ones are advertised with the next heartbeat) and whether it answers, for the status page.
import type { EngineHealth } from '../../shared/snapshot.js';
import type { TickContext } from './context.js';
import { errorMessage } from '../errors/message.js';

/** Heartbeats between two engine checks (a minute at the default 5 s heartbeat). */
export const ENGINE_CHECK_EVERY_HEARTBEATS = 12;

export async function engineHealthTick(
  deps: Pick<TickContext, 'engine' | 'observers' | 'log'>,
): Promise<EngineHealth | null> {
  const { engine } = deps;
  if (!engine.health) return null;
  if (engine.refresh) {
    await engine.refresh().catch((error: unknown) => {
      deps.log.warn(
        'engine',
        `could not refresh the ${engine.name} engine's models: ${errorMessage(error)}`,
      );
    });
  }
  const health = await engine.health();
  const before = deps.observers.snapshot().engineHealth;
  if (before?.reachable !== health.reachable) {
    if (health.reachable)
      deps.log.info('engine', `${engine.name} engine reachable: ${health.models.length} model(s)`);
    else
      deps.log.warn('engine', `${engine.name} engine unreachable: ${health.error ?? 'no answer'}`);
  }
  deps.observers.set({ engineHealth: health });
  return health;
}
