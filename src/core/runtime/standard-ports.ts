// The ports every real worker is built from, whatever hosts it (the headless CLI or the desktop
// app): the studio client on undici, the configured engine, the GPU-detecting host probe and the
// spool folder next to the config. Each host adds its own update source, log sinks and presence.
import path from 'node:path';
import type { ConfigStore } from '../config/store.js';
import type { WorkerConfig } from '../config/types.js';
import { buildEngine } from '../engine/build.js';
import type { Engine } from '../engine/engine.js';
import { createHostProbe } from '../host/gpu-probe.js';
import { createStudioClient } from '../studio/client.js';
import type { WorkerPorts } from './worker.js';

export function engineFor(config: WorkerConfig, configPath?: string): Engine {
  return buildEngine(config.engine, {
    engines: config.engines,
    modelsOverride: config.supported_models_override,
    configDir: configPath === undefined ? undefined : path.dirname(configPath),
  });
}

export function spoolDirFor(config: WorkerConfig, configPath: string): string {
  // A fleet worker keeps its spool beside its identity, on the state volume.
  if (config.spool_dir !== null) return config.spool_dir;
  return path.join(config.state_dir ?? path.dirname(configPath), 'spool');
}

export function standardPorts(
  store: ConfigStore,
  engine?: Engine,
): Pick<WorkerPorts, 'configStore' | 'studioFor' | 'engine' | 'host' | 'spoolDir'> {
  const config = store.current();
  return {
    configStore: store,
    studioFor: (baseUrl, secrets, limits) => createStudioClient({ baseUrl, secrets, ...limits }),
    engine: engine ?? engineFor(config, store.path),
    host: createHostProbe(),
    spoolDir: spoolDirFor(config, store.path),
  };
}
