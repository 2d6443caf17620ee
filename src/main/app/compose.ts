// Builds the desktop app's worker from its config store, as the CLI's compose does for the
// headless one: the real studio client, the configured engine and the GPU-detecting host probe,
// plus the desktop's own update source (electron-updater), log sink (the log file) and presence
// (powerMonitor).
import type { ConfigStore } from '../../core/config/store.js';
import type { Clock } from '../../core/runtime/clock.js';
import type { Engine } from '../../core/engine/engine.js';
import type { LogSink } from '../../core/runtime/log.js';
import type { Worker } from '../../core/runtime/worker.js';
import { createWorker } from '../../core/runtime/worker.js';
import { standardPorts } from '../../core/runtime/standard-ports.js';
import type { PresenceSource } from '../../core/presence/source.js';
import type { UpdateSource } from '../../core/update/source.js';

export function composeDesktopWorker(opts: {
  store: ConfigStore;
  agentVersion: string;
  logSinks: LogSink[];
  updateSource?: UpdateSource;
  /** Called once drained after an update was downloaded. */
  installUpdate: (version: string) => Promise<void>;
  engine?: Engine;
  /** What the OS says about the person at the desk (idle time and power from powerMonitor). */
  presence?: PresenceSource;
  /** The system clock unless a test hands in a manual one. */
  clock?: Clock;
}): Worker {
  return createWorker({
    ...standardPorts(opts.store, opts.engine),
    agentVersion: opts.agentVersion,
    ...(opts.updateSource
      ? { updateSource: opts.updateSource, installUpdate: opts.installUpdate }
      : {}),
    logSinks: opts.logSinks,
    ...(opts.presence ? { presence: opts.presence } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
}
