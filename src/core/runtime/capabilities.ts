// buildCapabilities: what the worker tells the studio it can do (PROTOCOL.md, "Capabilities").
import type { TaskKind } from '../../shared/snapshot.js';
import { TASK_KINDS } from '../../shared/snapshot.js';
import type { WorkerConfig } from '../config/types.js';
import type { EngineCapabilities } from '../engine/engine.js';
import type { HostInfo } from '../host/host.js';
import type { Capabilities } from '../studio/api.js';

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function buildCapabilities(input: {
  config: Pick<WorkerConfig, 'engine' | 'vram_threshold_gb' | 'auto_start'>;
  engine: EngineCapabilities;
  host: HostInfo;
  agentVersion: string;
  /** False while paused or disabled: online, but not claiming. */
  autoEnabled: boolean;
  /** The threshold to advertise, when admission lowered it below the configured one. */
  vramThresholdGb?: number;
}): Capabilities {
  const taskKinds: TaskKind[] = TASK_KINDS.filter((kind) => input.engine[kind] !== undefined);
  const perKind: Partial<Record<TaskKind, string[]>> = {};
  for (const kind of taskKinds) {
    perKind[kind] = sortedUnique(input.engine[kind] ?? []);
  }
  return {
    machineName: input.host.machineName || 'unknown-host',
    username: input.host.username,
    agentVersion: input.agentVersion,
    engine: input.config.engine,
    vramTotalGb: input.host.vramTotalGb,
    vramThresholdGb: input.vramThresholdGb ?? input.config.vram_threshold_gb,
    autoEnabled: input.autoEnabled,
    autoStart: input.config.auto_start,
    supportedModels: sortedUnique(taskKinds.flatMap((kind) => perKind[kind] ?? [])),
    taskKinds,
    supportedModelsPerKind: perKind,
  };
}
