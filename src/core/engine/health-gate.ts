// The health gate: an engine backed by a server advertises its models only while that server
// answers. Measured without it: an OpenAI-compatible server that was down let the worker claim
// and fail eight jobs in a row ("connection refused"). The gate remembers the last health
// check; while it said "unreachable", capabilities() offers nothing, so the heartbeat drops the
// models and the studio stops sending them. The next check that answers brings them back.
import type { EngineHealth } from '../../shared/snapshot.js';
import { EngineJobError, type Engine, type EngineCapabilities } from './engine.js';
import { EngineServerError } from './remote/http.js';

/** Whether a job's failure means the engine's server did not answer at all. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof EngineJobError) return error.unreachable;
  return error instanceof EngineServerError && !error.reached;
}

/**
 * Wraps an engine with a health check. Until the first check, and for engines without one,
 * the engine's own capabilities stand: a server that was never asked is not known to be down.
 */
export function gateOnHealth(engine: Engine): Engine {
  const health = engine.health?.bind(engine);
  if (!health) return engine;
  let down = false;
  // Everything else of the engine (run, refresh, heldVram, an engine's own extras) stays as is.
  const gated: Engine = {
    ...engine,
    capabilities: (): EngineCapabilities => (down ? {} : engine.capabilities()),
    async health(signal): Promise<EngineHealth> {
      const result = await health(signal);
      down = !result.reachable;
      return result;
    },
  };
  return gated;
}
