// The multi engine: several engines behind one, each task routed by its kind and model. A route
// that lists the task's model wins; then a route whose engine offers it (its server's models);
// otherwise the first route serving the task's kind runs it.
import { TASK_KINDS, type EngineHealth, type TaskKind } from '../../shared/snapshot.js';
import { cannotServeMessage } from '../task/task.js';
import { NO_HELD_VRAM, type Engine, type EngineCapabilities } from './engine.js';

export const MULTI_ENGINE_NAME = 'multi';

export interface EngineRoute {
  engine: Engine;
  /** Kinds this route takes; default: every kind its engine serves. */
  kinds?: TaskKind[];
  /** Models this route takes and advertises; default: its engine's models for each kind. */
  models?: string[];
}

export function createMultiEngine(routes: EngineRoute[]): Engine {
  if (routes.length === 0) {
    throw new Error('multi engine needs at least one route — add an [[engines]] entry');
  }
  const copies = routes.map((route) => ({ ...route }));
  return {
    name: MULTI_ENGINE_NAME,
    capabilities: () => unionOf(copies),
    async run(model, task, signal, job) {
      const serving = copies.filter((route) => routeServes(route, task.kind));
      // Two servers of one kind side by side (Ollama and LM Studio, as `engines detect --add`
      // writes them): a model only the second one has must go there, not to the first.
      const route =
        serving.find((r) => r.models?.includes(model) ?? false) ??
        serving.find((r) => r.engine.capabilities()[task.kind]?.includes(model) ?? false) ??
        serving[0];
      if (!route) throw new Error(cannotServeMessage(MULTI_ENGINE_NAME, task.kind));
      return route.engine.run(model, task, signal, job);
    },
    async refresh(signal) {
      const results = await Promise.allSettled(
        copies.map((route) => route.engine.refresh?.(signal)),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async heldVram(model, signal) {
      // For a model, what its route's engine holds; otherwise the most any one route holds
      // (memory one engine keeps is no use to another engine's jobs).
      const routes = model === undefined ? copies : copies.filter((r) => routeTakes(r, model));
      const held = await Promise.all(
        routes.map((r) => r.engine.heldVram?.(model, signal) ?? Promise.resolve(NO_HELD_VRAM)),
      );
      // The largest figure and every process: admission counts the larger of the two.
      return {
        gb: Math.max(0, ...held.map((h) => h.gb)),
        pids: [...new Set(held.flatMap((h) => h.pids))],
      };
    },
    async health(signal) {
      return combinedHealth(
        await Promise.all(copies.map((route) => route.engine.health?.(signal))),
        Object.values(unionOf(copies)).flat(),
      );
    },
  };
}

/**
 * One health for all routes: reachable when every route's server is (a route without a server
 * always is), the errors joined, the models those the multi engine now advertises.
 */
function combinedHealth(healths: (EngineHealth | undefined)[], models: string[]): EngineHealth {
  const reported = healths.filter((h): h is EngineHealth => h !== undefined);
  const errors = reported.flatMap((h) => (h.error === null ? [] : [h.error]));
  const devices = reported.flatMap((h) => h.devices ?? []);
  // An in-process engine's backend and model sizes (only llama has them today).
  const computing = reported.find((h) => h.backend !== undefined);
  const sizes = reported.flatMap((h) => Object.entries(h.modelVramGb ?? {}));
  return {
    ...(devices.length > 0 ? { devices } : {}),
    reachable: reported.every((h) => h.reachable),
    models: [...new Set(models)].sort(),
    error: errors.length === 0 ? null : errors.join('; '),
    ...(computing ? { backend: computing.backend } : {}),
    ...(sizes.length > 0 ? { modelVramGb: Object.fromEntries(sizes) } : {}),
    checkedAt:
      reported
        .map((h) => h.checkedAt)
        .sort()
        .at(-1) ?? new Date().toISOString(),
  };
}

/** Whether a route would run a job of `model`: it lists it, or its engine advertises it. */
function routeTakes(route: EngineRoute, model: string): boolean {
  if (route.models) return route.models.includes(model);
  return Object.values(route.engine.capabilities()).some((models) => models?.includes(model));
}

/** A route serves a kind when its engine does and its own `kinds` (if any) include it. */
function routeServes(route: EngineRoute, kind: TaskKind): boolean {
  const engineServes = route.engine.capabilities()[kind] !== undefined;
  return engineServes && (route.kinds?.includes(kind) ?? true);
}

/** Per kind, the sorted, de-duplicated models of every route serving it. */
function unionOf(routes: EngineRoute[]): EngineCapabilities {
  const union: EngineCapabilities = {};
  for (const kind of TASK_KINDS) {
    const serving = routes.filter((route) => routeServes(route, kind));
    if (serving.length === 0) continue;
    const models = serving.flatMap(
      (route) => route.models ?? route.engine.capabilities()[kind] ?? [],
    );
    union[kind] = [...new Set(models)].sort();
  }
  return union;
}
