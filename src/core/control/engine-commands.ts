// The window's Engines section: list the configured engines with their health, detect servers
// on this machine, add one (or a GGUF file for the built-in engine) to config.toml, pick a file,
// and run a tiny test job. The same logic as `studio-worker engines` (core/engine/detect).
import path from 'node:path';
import type { CommandResult, EngineView, WorkerCommand } from '../../shared/bridge.js';
import { ConfigError } from '../config/errors.js';
import { addDetectedEngines, addLlamaModel, isConfigured } from '../engine/detect/add.js';
import { configuredEngines, engineHealthOf, testEngine } from '../engine/detect/configured.js';
import {
  DEFAULT_DETECT_TIMEOUT_MS,
  detectedAt,
  detectEngines,
  isDetectServer,
  type DetectServer,
} from '../engine/detect/detect.js';
import { errorMessage } from '../errors/message.js';
import type { Worker } from '../runtime/worker.js';

/** What the host adds to the engine commands. */
export interface EngineCommandHost {
  /** Ports to probe instead of the usual ones (STUDIO_WORKER_DETECT_PORTS). */
  detectPorts?: Partial<Record<DetectServer, number>>;
  /** The desktop's file picker for a .gguf file; null when cancelled. Absent in a browser. */
  pickModelFile?: () => Promise<string | null>;
}

export type EngineCommand = Extract<
  WorkerCommand,
  {
    type:
      | 'listEngines'
      | 'detectEngines'
      | 'addDetectedEngine'
      | 'addLlamaModel'
      | 'pickModelFile'
      | 'testEngine';
  }
>;

const HEALTH_TIMEOUT_MS = 5_000;
/** A tiny job: a loaded model answers in seconds; a cold one may take a minute to load. */
const TEST_TIMEOUT_MS = 120_000;
const RESTART_NOTE = 'the running worker takes up engine changes after a restart';

export async function applyEngineCommand(
  worker: Worker,
  host: EngineCommandHost,
  command: EngineCommand,
): Promise<CommandResult> {
  const store = worker.configStore;
  switch (command.type) {
    case 'listEngines': {
      const entries = configuredEngines(store.current(), store.path);
      const engines = await Promise.all(
        entries.map(async (entry): Promise<EngineView> => {
          const base = { where: entry.where, engine: entry.engine, detail: entry.detail };
          if (!entry.built.ok)
            return { ...base, reachable: false, models: [], error: entry.built.error };
          const health = await engineHealthOf(entry.built.engine, HEALTH_TIMEOUT_MS);
          return {
            ...base,
            reachable: health.reachable,
            models: health.models,
            error: health.error,
          };
        }),
      );
      return { ok: true, engines };
    }
    case 'detectEngines': {
      const outcomes = await detectEngines({
        ports: host.detectPorts,
        timeoutMs: DEFAULT_DETECT_TIMEOUT_MS,
      });
      const tables = store.current().engines;
      const detected = outcomes.flatMap((o) =>
        o.found
          ? [
              {
                server: o.server,
                label: o.detected.label,
                port: o.port,
                baseUrl: o.detected.baseUrl,
                engine: o.detected.table.engine,
                models: o.detected.models,
                configured: isConfigured(tables, o.detected),
              },
            ]
          : [],
      );
      const message =
        detected.length === 0
          ? 'no engine server answered on this machine'
          : `found ${detected.map((d) => d.label).join(', ')}`;
      return { ok: true, message, detected };
    }
    case 'addDetectedEngine': {
      if (!isDetectServer(command.server)) {
        return { ok: false, error: `unknown server ${JSON.stringify(command.server)}` };
      }
      const server = detectedAt(command.server, command.port, []);
      let change: string | null = null;
      const saved = await save(worker, (config) => {
        const outcome = addDetectedEngines(config, [server]);
        change = outcome.engineChange;
        return outcome.config;
      });
      if (!saved.ok) return saved;
      return {
        ok: true,
        message: `added ${server.label} (${server.baseUrl})${change ? `; ${change}` : ''}; ${RESTART_NOTE}`,
      };
    }
    case 'addLlamaModel': {
      if (!path.isAbsolute(command.path) || !/\.gguf$/i.test(command.path)) {
        return {
          ok: false,
          error: `${JSON.stringify(command.path)} is not an absolute path to a .gguf file`,
        };
      }
      let id = '';
      let change: string | null = null;
      const saved = await save(worker, (config) => {
        const outcome = addLlamaModel(config, command.path);
        id = outcome.id;
        change = outcome.engineChange;
        return outcome.config;
      });
      if (!saved.ok) return saved;
      return {
        ok: true,
        message: `added model ${id} to the built-in engine${change ? `; ${change}` : ''}; ${RESTART_NOTE}`,
      };
    }
    case 'pickModelFile': {
      if (!host.pickModelFile) {
        return { ok: false, error: 'no file picker here — type the .gguf file path instead' };
      }
      try {
        const picked = await host.pickModelFile();
        return picked === null
          ? { ok: true, message: 'no file chosen' }
          : { ok: true, path: picked };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
    }
    case 'testEngine': {
      const entry = configuredEngines(store.current(), store.path).find(
        (e) => e.where === command.where,
      );
      if (!entry) return { ok: false, error: `no engine at ${command.where} in the config` };
      if (!entry.built.ok) return { ok: false, error: entry.built.error };
      const outcome = await testEngine(entry.built.engine, TEST_TIMEOUT_MS);
      const took = `${(outcome.ms / 1000).toFixed(1)} s`;
      return outcome.ok
        ? { ok: true, message: `${outcome.kind} on ${outcome.model} in ${took}: ${outcome.result}` }
        : { ok: false, error: worker.log.redact(`after ${took}: ${outcome.error}`) };
    }
  }
}

/** Validates and writes the change; a refused config comes back as the reason. */
async function save(
  worker: Worker,
  change: Parameters<Worker['configStore']['update']>[0],
): Promise<CommandResult> {
  try {
    await worker.configStore.update(change);
    return { ok: true };
  } catch (error) {
    const text = error instanceof ConfigError ? error.detail : errorMessage(error);
    return { ok: false, error: worker.log.redact(text) };
  }
}
