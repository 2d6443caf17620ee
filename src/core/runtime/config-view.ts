// What the observers show of the config: the settings view (no secrets, only whether they are
// set) and the flags the status line needs. Used at start, on every config change, and by
// `studio-worker status` when no worker runs.
import type { SettingsView, WorkerSnapshot } from '../../shared/snapshot.js';
import type { WorkerConfig } from '../config/types.js';
import { redactUrlCredentials } from '../secrets/redact.js';

export function settingsViewOf(config: WorkerConfig): SettingsView {
  return {
    // A password in the URL stays in the config; the window shows `https://<redacted>@host`.
    apiBaseUrl: redactUrlCredentials(config.api_base_url),
    hasBootstrapToken: config.bootstrap_token.length > 0,
    vramThresholdGb: config.vram_threshold_gb,
    enabled: config.auto_enabled,
    autoStart: config.auto_start,
    autoUpdateEnabled: config.auto_update_enabled,
    autoUpdateIntervalSecs: config.auto_update_interval_secs,
    autoUpdatePrerelease: config.auto_update_prerelease,
    engine: config.engine,
    jobTimeoutSecs: config.job_timeout_secs,
  };
}

/** The snapshot fields that follow the config file. */
export function configFields(
  config: WorkerConfig,
): Pick<
  WorkerSnapshot,
  'apiBaseUrl' | 'enabled' | 'vramThresholdGb' | 'settings' | 'registration'
> {
  return {
    apiBaseUrl: redactUrlCredentials(config.api_base_url),
    enabled: config.auto_enabled,
    vramThresholdGb: config.vram_threshold_gb,
    settings: settingsViewOf(config),
    registration:
      config.worker_id && config.auth_token
        ? { kind: 'registered', workerId: config.worker_id }
        : { kind: 'unregistered' },
  };
}
