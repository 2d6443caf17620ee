// The config a worker runs with, in layers: defaults < config.toml < the state folder's identity
// < STUDIO_WORKER_* variables (a command-line flag is applied above this by the command). It is a
// ConfigStore like the file store, so the worker cannot tell the difference, but a change is
// written only where it belongs: the worker id and token to the state folder (when state_dir is
// set), other settings to config.toml — never a value that came from the environment, and a
// change to a key the environment sets is refused with the variable to change instead. With the
// environment setting anything, config.toml is optional: a missing one is not created.
import { mkdir, readFile as readFileAsync, stat } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../files/atomic-write.js';
import { defaultConfig } from './defaults.js';
import { changedKeys, configFromEnv, envSetsAnything, MAX_ENV_FILE_BYTES } from './env.js';
import { ConfigError } from './errors.js';
import type { FileWatchOptions } from './file-watch.js';
import type { ConfigStore } from './store.js';
import { openConfigStore } from './store.js';
import type { WorkerConfig } from './types.js';
import { applyConfigPatch, validateConfig, type ConfigPatch } from './validation.js';
import { errorMessage } from '../errors/message.js';

/** The file in state_dir that keeps the worker's identity across restarts (owner-only). */
export const IDENTITY_FILE = 'identity.json';

const IDENTITY_KEYS = ['worker_id', 'auth_token'] as const;

export interface LayeredStoreOptions {
  env: Readonly<Record<string, string | undefined>>;
  watchOptions?: FileWatchOptions;
}

/** Reads a `_FILE` variable's file (a mounted secret): bounded, text only. */
export function readSecretFile(filePath: string): string {
  const size = statSync(filePath).size;
  if (size > MAX_ENV_FILE_BYTES) {
    throw new Error(`the file is ${size} bytes (a secret is at most ${MAX_ENV_FILE_BYTES})`);
  }
  return readFileSync(filePath, 'utf8');
}

export async function openLayeredConfigStore(
  filePath: string,
  options: LayeredStoreOptions,
): Promise<ConfigStore> {
  const fromEnv = configFromEnv({ env: options.env, readFile: readSecretFile });
  if (fromEnv.kind === 'invalid') {
    throw new ConfigError({
      filePath: 'environment',
      detail: `${fromEnv.message} — fix or unset the variable`,
    });
  }
  const envPatch = fromEnv.patch;
  const fileExists = await exists(filePath);
  const base =
    !fileExists && envSetsAnything(fromEnv)
      ? memoryStore(filePath)
      : await openConfigStore(filePath, options.watchOptions ?? {});

  const stateDirOf = (config: WorkerConfig) => applyConfigPatch(config, envPatch).state_dir ?? null;
  let stateDir = stateDirOf(base.current());
  let identity: ConfigPatch = stateDir === null ? {} : await loadIdentity(stateDir);

  const layer = (fileConfig: WorkerConfig): WorkerConfig => {
    const merged = applyConfigPatch(applyConfigPatch(fileConfig, identity), envPatch);
    const checked = validateConfig(merged);
    if (checked.kind === 'invalid') {
      throw new ConfigError({
        filePath,
        detail: `${checked.problem.message} (with the STUDIO_WORKER_* variables applied)`,
      });
    }
    return checked.value;
  };

  let current = layer(base.current());
  const listeners = new Set<(config: WorkerConfig) => void>();
  const adopt = (fileConfig: WorkerConfig) => {
    const next = layer(fileConfig);
    if (isDeepStrictEqual(next, current)) return current;
    current = next;
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch {
        // As in the file store: one listener's bug must not silence the others.
      }
    }
    return current;
  };

  return {
    path: filePath,
    warnings: base.warnings,
    current: () => current,

    async update(change) {
      const prev = current;
      const next = change(prev);
      const checked = validateConfig(next);
      if (checked.kind === 'invalid') {
        throw new ConfigError({
          filePath,
          detail: `${checked.problem.message} — the change was not saved`,
          ...(checked.problem.key === undefined ? {} : { key: checked.problem.key }),
        });
      }
      const changed = changedKeys(prev, checked.value);
      const locked = changed.find((key) => fromEnv.sources[key] !== undefined);
      if (locked !== undefined) {
        throw new ConfigError({
          filePath,
          key: locked,
          detail: `${locked} is set by the environment variable ${fromEnv.sources[locked]} — change it there; the change was not saved`,
        });
      }
      const toState = stateDir === null ? [] : changed.filter(isIdentityKey);
      const toFile = changed.filter((key) => !toState.includes(key));
      if (toState.length > 0 && stateDir !== null) {
        identity = { worker_id: checked.value.worker_id, auth_token: checked.value.auth_token };
        await saveIdentity(stateDir, identity);
      }
      let fileConfig = base.current();
      if (toFile.length > 0) {
        fileConfig = await base.update((onDisk) => copyKeys(onDisk, checked.value, toFile));
        stateDir = stateDirOf(fileConfig);
      }
      return adopt(fileConfig);
    },

    async reload() {
      return adopt(await base.reload());
    },

    watch(onChange, onError) {
      listeners.add(onChange);
      const stop = base.watch((fileConfig) => {
        try {
          adopt(fileConfig);
        } catch (error) {
          if (error instanceof ConfigError) onError(error);
        }
      }, onError);
      return () => {
        listeners.delete(onChange);
        stop();
      };
    },
  };
}

function isIdentityKey(key: string): boolean {
  return (IDENTITY_KEYS as readonly string[]).includes(key);
}

/** `target` with the dotted `keys` taken from `source`. */
function copyKeys(target: WorkerConfig, source: WorkerConfig, keys: string[]): WorkerConfig {
  const copy: WorkerConfig = { ...target, schedule: { ...target.schedule } };
  for (const key of keys) {
    if (key.startsWith('schedule.')) {
      const sub = key.slice('schedule.'.length) as keyof WorkerConfig['schedule'];
      copy.schedule[sub] = source.schedule[sub];
    } else {
      (copy as unknown as Record<string, unknown>)[key] = source[key as keyof WorkerConfig];
    }
  }
  return copy;
}

/** A store with no file behind it: defaults, changed only in memory (env-only workers). */
function memoryStore(filePath: string): ConfigStore {
  let config = defaultConfig();
  return {
    path: filePath,
    warnings: [],
    current: () => config,
    update: (change) => {
      const checked = validateConfig(change(config));
      if (checked.kind === 'invalid') {
        return Promise.reject(new ConfigError({ filePath, detail: checked.problem.message }));
      }
      config = checked.value;
      return Promise.resolve(config);
    },
    reload: () => Promise.resolve(config),
    watch: () => () => undefined,
  };
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await stat(filePath);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function loadIdentity(stateDir: string): Promise<ConfigPatch> {
  const file = path.join(stateDir, IDENTITY_FILE);
  let text: string;
  try {
    text = await readFileAsync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError({
      filePath: file,
      detail: `could not read the worker's identity: ${errorMessage(error)} — check state_dir and its permissions`,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const valid = (value: unknown) => value === null || typeof value === 'string';
  if (typeof parsed !== 'object' || !valid(record.worker_id) || !valid(record.auth_token)) {
    throw new ConfigError({
      filePath: file,
      detail: `is not a worker identity file — delete it to register again as a new worker`,
    });
  }
  return {
    worker_id: record.worker_id as string | null,
    auth_token: record.auth_token as string | null,
  };
}

async function saveIdentity(stateDir: string, identity: ConfigPatch): Promise<void> {
  const file = path.join(stateDir, IDENTITY_FILE);
  try {
    // 0700: the folder holds the worker's token.
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, `${JSON.stringify(identity, null, 2)}\n`, { symlinks: 'follow' });
  } catch (error) {
    throw new ConfigError({
      filePath: file,
      detail: `could not save the worker's identity: ${errorMessage(error)} — check that state_dir is a writable volume`,
      cause: error,
    });
  }
}
