// engineHealthTick: ask the engine's server what it offers (re-discovering its models, so new
// ones are advertised with the next heartbeat) and whether it answers. An engine that does not
// answer stops advertising its models (the health gate, engine/health-gate.ts); when that leaves
// nothing to advertise, claiming is held with the reason, so `status` says why no job comes.
import type { EngineHealth } from '../../shared/snapshot.js';
import type { Engine } from '../engine/engine.js';
import type { TickContext } from './context.js';
import { errorMessage } from '../errors/message.js';

/** Heartbeats between two engine checks (a minute at the default 5 s heartbeat). */
export const ENGINE_CHECK_EVERY_HEARTBEATS = 12;

/** The hold an engine that does not answer puts on claiming. */
export const ENGINE_DOWN_HOLD = 'engine';

export type EngineHealthDeps = Pick<TickContext, 'engine' | 'observers' | 'log'> &
  Partial<Pick<TickContext, 'hold'>> & {
    /** Tells the studio at once (a heartbeat) when the advertised models changed. */
    announce?: () => Promise<unknown>;
  };

/** Every model the engine advertises now, as one comparable string. */
function advertised(engine: Engine): string {
  return Object.entries(engine.capabilities())
    .map(([kind, models]) => `${kind}:${[...(models ?? [])].sort().join(',')}`)
    .sort()
    .join(' ');
}

function nothingAdvertised(engine: Engine): boolean {
  return Object.values(engine.capabilities()).every((models) => (models ?? []).length === 0);
}

export async function engineHealthTick(deps: EngineHealthDeps): Promise<EngineHealth | null> {
  const { engine } = deps;
  if (!engine.health) return null;
  const before = advertised(engine);
  if (engine.refresh) {
    await engine.refresh().catch((error: unknown) => {
      deps.log.warn(
        'engine',
        `could not refresh the ${engine.name} engine's models: ${errorMessage(error)}`,
      );
    });
  }
  const health = await engine.health();
  const previous = deps.observers.snapshot().engineHealth;
  if (previous?.reachable !== health.reachable) {
    if (health.reachable)
      deps.log.info('engine', `${engine.name} engine reachable: ${health.models.length} model(s)`);
    else
      deps.log.warn(
        'engine',
        `${engine.name} engine unreachable: ${health.error ?? 'no answer'} — its models are not advertised until it answers`,
      );
  }
  deps.observers.set({ engineHealth: health });
  deps.hold?.(
    ENGINE_DOWN_HOLD,
    !health.reachable && nothingAdvertised(engine)
      ? `${engine.name} engine not answering (${health.error ?? 'no answer'}): its models are not advertised until it answers`
      : null,
  );
  if (advertised(engine) !== before) await deps.announce?.();
  return health;
}
