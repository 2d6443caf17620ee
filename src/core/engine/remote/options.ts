// The config keys every server-backed engine (openai, a1111, gradio) shares, and the checks that
// turn them into engine options: the endpoint, the timeout, the model map and the kinds served.
import { z } from 'zod';
import type { TaskKind } from '../../../shared/snapshot.js';
import { failConfig, type EngineSettings } from '../settings.js';
import { endpointFrom } from './endpoint.js';

/** A long image or a long answer may take minutes; job_timeout_secs still bounds the whole job. */
export const DEFAULT_TIMEOUT_SECS = 600;

/**
 * Keys of every server-backed engine:
 * - `base_url`: the server (default: the engine's usual local port);
 * - `allow_remote`: must be true for a base_url that is not this machine (default false);
 * - `timeout_secs`: longest wait for one answer, body included (default 600);
 * - `model_map`: studio model id → the server's own model name (default: the same name).
 */
export const remoteKeys = {
  base_url: z.string().min(1).optional(),
  allow_remote: z.boolean().optional(),
  timeout_secs: z.number().positive().optional(),
  model_map: z.record(z.string().min(1), z.string().min(1)).optional(),
};

export interface RemoteKeys {
  base_url?: string | undefined;
  allow_remote?: boolean | undefined;
  timeout_secs?: number | undefined;
  model_map?: Record<string, string> | undefined;
}

export interface RemoteOptions {
  baseUrl: string;
  timeoutMs: number;
  modelMap: Readonly<Record<string, string>>;
}

export function remoteOptionsFrom(
  keys: RemoteKeys,
  settings: EngineSettings,
  defaultUrl: string,
): RemoteOptions {
  return {
    baseUrl: endpointFrom({
      baseUrl: keys.base_url,
      allowRemote: keys.allow_remote ?? false,
      defaultUrl,
      where: settings.where,
    }),
    timeoutMs: (keys.timeout_secs ?? DEFAULT_TIMEOUT_SECS) * 1000,
    modelMap: { ...keys.model_map },
  };
}

/**
 * The kinds to serve: the configured ones, which must all be in `possible`, else all of
 * `possible`. `why` explains, per kind, how to make the engine do it when it is not possible.
 */
export function kindsFrom(
  engine: string,
  settings: EngineSettings,
  possible: readonly TaskKind[],
  why: Partial<Record<TaskKind, string>> = {},
): TaskKind[] {
  if (settings.kinds === undefined) return [...possible];
  for (const kind of settings.kinds) {
    if (!possible.includes(kind)) {
      failConfig(
        `${settings.where}.kinds: the ${engine} engine cannot serve ${kind} tasks` +
          (why[kind] ? ` — ${why[kind]}` : ` (it serves: ${possible.join(', ')})`),
      );
    }
  }
  return [...settings.kinds];
}
