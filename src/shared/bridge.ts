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
  | { type: 'quitAfterCurrentJob' }
  /** The configured engines with their health and models (answers with `engines`). */
  | { type: 'listEngines' }
  /** Probes this machine's usual ports (answers with `detected`). */
  | { type: 'detectEngines' }
  /** Adds the [[engines]] table for a server `detectEngines` found on 127.0.0.1:`port`. */
  | { type: 'addDetectedEngine'; server: string; port: number }
  /** Adds a GGUF file to the built-in llama engine's model_files. */
  | { type: 'addLlamaModel'; path: string }
  /** Opens the desktop's file picker for a .gguf file (answers with `path`; not in a browser). */
  | { type: 'pickModelFile' }
  /** Runs one tiny job through the engine at `where` (`engine`, `engines[1]`). */
  | { type: 'testEngine'; where: string };

export type CommandType = WorkerCommand['type'];

/** One configured engine as the window shows it. */
export interface EngineView {
  /** `engine` (a single engine) or `engines[1]` (a table of multi). */
  where: string;
  engine: string;
  /** Its address (credentials removed) or model files. */
  detail: string | null;
  reachable: boolean;
  models: string[];
  /** Why it does not answer, or its config error. */
  error: string | null;
}

/** A server found on this machine. */
export interface DetectedEngineView {
  server: string;
  label: string;
  port: number;
  baseUrl: string;
  /** The engine that would drive it. */
  engine: string;
  models: string[];
  /** A table for it is in the config already. */
  configured: boolean;
}

export type CommandResult =
  | {
      ok: true;
      message?: string;
      engines?: EngineView[];
      detected?: DetectedEngineView[];
      /** The file picked (pickModelFile); absent when the picker was cancelled. */
      path?: string;
    }
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
