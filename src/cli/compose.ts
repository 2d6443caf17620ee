// Builds the headless worker from a config file: the real studio client, the configured engine,
// the GPU-detecting host probe, the GitHub-releases update source, and the console log sink.
import type { ConfigStore } from '../core/config/store.js';
import type { Engine } from '../core/engine/engine.js';
import type { LogSink } from '../core/runtime/log.js';
import { createOsPresenceSource } from '../core/presence/source.js';
import type { Worker } from '../core/runtime/worker.js';
import { createWorker } from '../core/runtime/worker.js';
import { standardPorts } from '../core/runtime/standard-ports.js';
import { createGithubUpdateSource } from '../core/update/github-source.js';
import type { UpdateSource } from '../core/update/source.js';
import type { WorkerConfig } from '../core/config/types.js';
import { appVersion } from './version.js';

/** Where no feed is configured, releases are looked up on the project's GitHub releases. */
export const DEFAULT_UPDATE_FEED =
  'https://api.github.com/repos/studio-worker/studio-worker/releases';

export function updateSourceFor(config: WorkerConfig): UpdateSource {
  return createGithubUpdateSource({
    feedUrl: config.auto_update_feed ?? DEFAULT_UPDATE_FEED,
    currentVersion: appVersion(),
    includePrerelease: config.auto_update_prerelease,
  });
}

export function composeWorker(opts: {
  store: ConfigStore;
  logSinks: LogSink[];
  engine?: Engine;
}): Worker {
  return createWorker({
    ...standardPorts(opts.store, opts.engine),
    agentVersion: appVersion(),
    updateSource: updateSourceFor(opts.store.current()),
    logSinks: opts.logSinks,
    presence: createOsPresenceSource(),
  });
}
