// Builds the headless worker from a config file: the real studio client, the configured engine,
// the GPU-detecting host probe, the GitHub-releases update source, and the console log sink.
import path from 'node:path';
import type { ConfigStore } from '../core/config/store.js';
import { buildEngine } from '../core/engine/build.js';
import type { Engine } from '../core/engine/engine.js';
import { createHostProbe } from '../core/host/gpu-probe.js';
import type { LogSink } from '../core/runtime/log.js';
import { createOsPresenceSource } from '../core/presence/source.js';
import type { Worker } from '../core/runtime/worker.js';
import { createWorker } from '../core/runtime/worker.js';
import { createStudioClient } from '../core/studio/client.js';
import { createGithubUpdateSource } from '../core/update/github-source.js';
import type { UpdateSource } from '../core/update/source.js';
import type { WorkerConfig } from '../core/config/types.js';
import { appVersion } from './version.js';

/** Where no feed is configured, releases are looked up on the project's GitHub releases. */
export const DEFAULT_UPDATE_FEED =
  'https://api.github.com/repos/studio-worker/studio-worker/releases';

export function spoolDirFor(config: WorkerConfig, configPath: string): string {
  return config.spool_dir ?? path.join(path.dirname(configPath), 'spool');
}

export function updateSourceFor(config: WorkerConfig): UpdateSource {
  return createGithubUpdateSource({
    feedUrl: config.auto_update_feed ?? DEFAULT_UPDATE_FEED,
    currentVersion: appVersion(),
    includePrerelease: config.auto_update_prerelease,
  });
}

export function engineFor(config: WorkerConfig): Engine {
  return buildEngine(config.engine, {
    engines: config.engines,
    modelsOverride: config.supported_models_override,
  });
}

export function composeWorker(opts: {
  store: ConfigStore;
  logSinks: LogSink[];
  engine?: Engine;
}): Worker {
  const config = opts.store.current();
  return createWorker({
    configStore: opts.store,
    studioFor: (baseUrl, secrets) => createStudioClient({ baseUrl, secrets }),
    engine: opts.engine ?? engineFor(config),
    host: createHostProbe(),
    agentVersion: appVersion(),
    spoolDir: spoolDirFor(config, opts.store.path),
    updateSource: updateSourceFor(config),
    logSinks: opts.logSinks,
    presence: createOsPresenceSource(),
  });
}
