// The bridge between the window and the worker: the window receives whole snapshots and sends
// typed commands back. Electron's preload exposes it over IPC; the headless worker's web bridge
// serves the same shape over loopback HTTP. Types only: the schema lives in src/core/control.
import type { WorkerSnapshot } from './snapshot.js';

/** Settings the window may change; absent keys stay as they are. */
export interface SettingsPatch {
  apiBaseUrl?: string;
  /** Write-only: a new bootstrap token (never read back). */
  bootstrapToken?: string;
  vramThresholdGb?: number;
  enabled?: boolean;
  autoStart?: boolean;
  autoUpdateEnabled?: boolean;
  autoUpdateIntervalSecs?: number;
  autoUpdatePrerelease?: boolean;
  engine?: string;
  jobTimeoutSecs?: number;
}

export type WorkerCommand =
  | { type: 'setEnabled'; enabled: boolean }
  | { type: 'setThreshold'; gb: number }
  /** Pause claiming for `minutes`; 0 ends a snooze. */
  | { type: 'snooze'; minutes: number }
  | { type: 'saveSettings'; settings: SettingsPatch }
  | { type: 'register'; bootstrapToken?: string; apiBaseUrl?: string }
  | { type: 'resetRegistration' }
  | { type: 'checkForUpdates' }
  | { type: 'installUpdate' }
  | { type: 'openLogsFolder' }
  | { type: 'quitAfterCurrentJob' };

export type CommandType = WorkerCommand['type'];

export type CommandResult =
  | { ok: true; message?: string }
  /** `field` names the setting at fault, so the window can show the error beside it. */
  | { ok: false; error: string; field?: keyof SettingsPatch };

/** What the window sees of the worker: the one object preload (or the web bridge) exposes. */
export interface WorkerBridge {
  /** Calls `listener` with the latest snapshot now and on every change; returns unsubscribe. */
  subscribe(listener: (snapshot: WorkerSnapshot) => void): () => void;
  send(command: WorkerCommand): Promise<CommandResult>;
}

/** The IPC channel names (main ↔ preload). */
export const IPC_CHANNELS = {
  snapshot: 'studio-worker:snapshot',
  command: 'studio-worker:command',
  ready: 'studio-worker:ready',
} as const;
