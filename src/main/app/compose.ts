// Builds the desktop app's worker from its config store, as the CLI's compose does for the
// headless one: the real studio client, the configured engine and the GPU-detecting host probe,
// plus the desktop's own update source (electron-updater) and log sink (the log file).
import path from 'node:path';
import type { ConfigStore } from '../../core/config/store.js';
import { buildEngine } from '../../core/engine/build.js';
import type { Engine } from '../../core/engine/engine.js';
import { createHostProbe } from '../../core/host/gpu-probe.js';
import type { LogSink } from '../../core/runtime/log.js';
import type { Worker } from '../../core/runtime/worker.js';
import { createWorker } from '../../core/runtime/worker.js';
import { createStudioClient } from '../../core/studio/client.js';
import type { UpdateSource } from '../../core/update/source.js';

export function composeDesktopWorker(opts: {
  store: ConfigStore;
  agentVersion: string;
  logSinks: LogSink[];
  updateSource?: UpdateSource;
  /** Called once drained after an update was downloaded. */
  installUpdate: (version: string) => Promise<void>;
  engine?: Engine;
}): Worker {
  const config = opts.store.current();
  return createWorker({
    configStore: opts.store,
    studioFor: (baseUrl, secrets) => createStudioClient({ baseUrl, secrets }),
    engine:
      opts.engine ??
      buildEngine(config.engine, {
        engines: config.engines,
        modelsOverride: config.supported_models_override,
      }),
    host: createHostProbe(),
    agentVersion: opts.agentVersion,
    spoolDir: config.spool_dir ?? path.join(path.dirname(opts.store.path), 'spool'),
    ...(opts.updateSource
      ? { updateSource: opts.updateSource, installUpdate: opts.installUpdate }
      : {}),
    logSinks: opts.logSinks,
  });
}
