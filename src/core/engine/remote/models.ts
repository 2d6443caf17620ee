// The models a server-backed engine offers: discovered from its server (refreshed on demand, so
// capabilities() stays synchronous), translated through model_map, and reported as EngineHealth.
import type { EngineHealth } from '../../../shared/snapshot.js';
import { EngineServerError } from './http.js';
import { errorMessage } from '../../errors/message.js';

/** The server's own name for a studio model id: model_map's entry, else the id itself. */
export function localModel(modelMap: Readonly<Record<string, string>>, studioId: string): string {
  return Object.hasOwn(modelMap, studioId) ? (modelMap[studioId] as string) : studioId;
}

/** A server that does not answer a model list in this time will not run a job either. */
export const DISCOVERY_TIMEOUT_MS = 15_000;

/**
 * The studio model ids to advertise for what the server has: each local name as it is, and
 * every model_map id whose local name the server has — by that name or by one of its `aliases`
 * (other names the server accepts, like an A1111 checkpoint's title). Sorted, without repeats.
 */
export function advertisedModels(
  modelMap: Readonly<Record<string, string>>,
  localNames: readonly string[],
  aliases: readonly string[] = [],
): string[] {
  const have = new Set([...localNames, ...aliases]);
  const mapped = Object.entries(modelMap)
    .filter(([, local]) => have.has(local))
    .map(([studioId]) => studioId);
  return [...new Set([...localNames, ...mapped])].sort();
}

export interface ModelCatalogOptions<T> {
  /** Asks the server what it has; rejects with a message naming the server. */
  discover: (signal: AbortSignal | undefined) => Promise<T>;
  /** The studio model ids to advertise for a discovery's result. */
  advertise: (found: T) => string[];
  now?: () => number;
}

export interface ModelCatalog<T> {
  /** The last successful discovery, or undefined before the first. */
  current(): T | undefined;
  /** The ids advertised for current(); [] before the first discovery. */
  advertised(): string[];
  /** Discovers again; rejects (keeping the last result) when the server cannot say. */
  refresh(signal?: AbortSignal): Promise<void>;
  /** Discovers again and reports the outcome; never rejects. */
  health(signal?: AbortSignal): Promise<EngineHealth>;
}

export function createModelCatalog<T>(options: ModelCatalogOptions<T>): ModelCatalog<T> {
  const now = options.now ?? Date.now;
  let found: T | undefined;
  let advertised: string[] = [];
  // A slow discovery that finishes after a newer one must not overwrite the newer result.
  let started = 0;
  let applied = 0;

  async function refresh(signal?: AbortSignal): Promise<void> {
    started += 1;
    const attempt = started;
    const result = await options.discover(signal);
    if (attempt > applied) {
      applied = attempt;
      found = result;
      advertised = options.advertise(result);
    }
  }

  return {
    current: () => found,
    advertised: () => [...advertised],
    refresh,
    async health(signal) {
      try {
        await refresh(signal);
        return { reachable: true, models: [...advertised], error: null, checkedAt: iso(now()) };
      } catch (error) {
        return {
          // A server that answered with an error (or a broken body) is there; one that did not is not.
          reachable: error instanceof EngineServerError && error.reached,
          models: [...advertised],
          error: errorMessage(error),
          checkedAt: iso(now()),
        };
      }
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
