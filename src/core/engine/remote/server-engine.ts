// The Engine shape every server-backed engine shares: capabilities from its kinds and its models
// (configured, else discovered), `cannot serve` for other kinds, health and refresh from its
// model catalog. Each engine brings only how it runs a task.
import { TASK_KINDS, type TaskKind } from '../../../shared/snapshot.js';
import { cannotServeMessage, type Task } from '../../task/task.js';
import { throwIfAborted } from '../abort.js';
import type { Engine, EngineCapabilities, EngineResult, RunContext } from '../engine.js';
import type { ModelCatalog } from './models.js';

/** An engine backed by a server: health and refresh are always there. */
export type ServerEngine = Engine & Required<Pick<Engine, 'health' | 'refresh'>>;

export interface ServerEngineParts<T> {
  name: string;
  kinds: readonly TaskKind[];
  /** Studio model ids to advertise for every kind; absent: the catalog's discovered ones. */
  models?: readonly string[] | undefined;
  catalog: ModelCatalog<T>;
  /** Runs a task of one of `kinds`. */
  run: (model: string, task: Task, signal: AbortSignal, job?: RunContext) => Promise<EngineResult>;
}

export function createServerEngine<T>(parts: ServerEngineParts<T>): ServerEngine {
  const { name, catalog } = parts;
  const kinds = TASK_KINDS.filter((kind) => parts.kinds.includes(kind));
  const configured = parts.models === undefined ? undefined : [...new Set(parts.models)].sort();
  return {
    name,
    capabilities() {
      const models = configured ?? catalog.advertised();
      const capabilities: EngineCapabilities = {};
      for (const kind of kinds) capabilities[kind] = [...models];
      return capabilities;
    },
    async run(model, task, signal, job) {
      throwIfAborted(name, signal);
      if (!kinds.includes(task.kind)) throw new Error(cannotServeMessage(name, task.kind));
      return parts.run(model, task, signal, job);
    },
    health: (signal) => catalog.health(signal),
    refresh: (signal) => catalog.refresh(signal),
  };
}
