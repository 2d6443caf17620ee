// Following the config file while the worker runs: says in the log what changed that a person
// would want to know (claiming on/off, the VRAM threshold), refreshes the snapshot's settings and
// wakes the loops so a change takes effect at once instead of after the next interval.
import type { WorkerConfig } from '../config/types.js';
import { configFields } from './config-view.js';
import type { Logger } from './log.js';
import type { WorkerObservers } from './observers.js';

export interface ConfigChangeDeps {
  observers: WorkerObservers;
  log: Logger;
  /** The config the snapshot was built from. */
  initial: WorkerConfig;
  /** Runs the next claim and heartbeat at once. */
  wake: () => void;
}

/** Returns the function to call with each new config (the store's watcher, or a direct change). */
export function followConfigChanges(deps: ConfigChangeDeps): (next: WorkerConfig) => void {
  const { observers, log } = deps;
  let prevConfig = deps.initial;
  return (next) => {
    const prev = observers.snapshot();
    if (prev.enabled !== next.auto_enabled) {
      log.info(
        'config',
        next.auto_enabled
          ? 'claiming enabled'
          : 'claiming disabled: the running job (if any) finishes, no new ones',
      );
    }
    // Compared with the previous config: the snapshot's threshold is the advertised one.
    if (prevConfig.vram_threshold_gb !== next.vram_threshold_gb) {
      log.info('config', `vram threshold now ${next.vram_threshold_gb} GB`);
    }
    const { registration, ...fields } = configFields(next);
    // A worker that is rejected stays so until the credentials change.
    const credentialsChanged =
      next.auth_token !== prevConfig.auth_token || next.worker_id !== prevConfig.worker_id;
    observers.set(
      credentialsChanged || observers.registration.kind === 'unregistered'
        ? { ...fields, registration }
        : fields,
    );
    prevConfig = next;
    deps.wake();
  };
}
