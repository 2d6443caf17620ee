// ConfigStore: the worker's settings backed by config.toml. Every write is a read-modify-write
// of the file as it is on disk (so an edit made by the CLI or by hand is not lost), validated,
// then written atomically with owner-only permissions. A malformed file is never overwritten,
// nor is one the user made read-only; a symlinked file is written through its link.
// `watch` reports changes whoever made them: another process, `update` or `reload`.
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../files/atomic-write.js';
import { ConfigError } from './errors.js';
import { watchFileChanges, type FileWatchOptions } from './file-watch.js';
import { defaultConfig } from './defaults.js';
import { validateConfig } from './validation.js';
import { parseConfig, serializeConfig, type ParsedConfig } from './toml.js';
import type { WorkerConfig } from './types.js';
import { errorMessage } from '../errors/message.js';

export interface ConfigStore {
  readonly path: string;
  /**
   * What opening the file found and fixed (a config other users could read, made owner-only),
   * for whoever opened it to show once: the worker logs them at start, the CLI prints them.
   */
  readonly warnings: readonly string[];
  /** The last good config read or written. */
  current(): WorkerConfig;
  /**
   * Re-reads the file, applies `change`, validates and writes the result. Rejects with
   * ConfigError, writing nothing, when the file on disk is malformed or the result is invalid.
   */
  update(change: (config: WorkerConfig) => WorkerConfig): Promise<WorkerConfig>;
  /** Re-reads the file now; rejects with ConfigError (keeping the current config) if malformed. */
  reload(): Promise<WorkerConfig>;
  /**
   * Calls `onChange` whenever the config changes (compared by value), `onError` once per distinct
   * malformed content of the file (the last good config stays current). Returns an unsubscribe.
   * Listeners must not throw: an exception is swallowed so the other listeners still hear.
   */
  watch(
    onChange: (config: WorkerConfig) => void,
    onError: (error: ConfigError) => void,
  ): () => void;
}

interface Listener {
  onChange: (config: WorkerConfig) => void;
  onError: (error: ConfigError) => void;
}

/**
 * The config holds the worker's credentials and decides where results go and what runs: a file
 * other users can write is refused rather than trusted; one they can read is made owner-only
 * (keeping the owner's own bits), with a warning. Returns the warnings.
 */
async function checkPermissions(filePath: string): Promise<string[]> {
  if (process.platform === 'win32') return [];
  const mode = (await stat(filePath)).mode & 0o777;
  if ((mode & 0o022) !== 0) {
    throw new ConfigError({
      filePath,
      detail: `is writable by other users (mode ${octal(mode)}) — run \`chmod 600 ${filePath}\``,
    });
  }
  if ((mode & 0o044) === 0) return [];
  const ownerOnly = mode & 0o700;
  try {
    await chmod(filePath, ownerOnly);
  } catch (error) {
    return [
      `${filePath} is readable by other users (mode ${octal(mode)}) and holds the worker's credentials; it could not be made owner-only: ${reason(error)} — run \`chmod 600 ${filePath}\``,
    ];
  }
  return [
    `${filePath} was readable by other users (mode ${octal(mode)}) and holds the worker's credentials: made it owner-only (mode ${octal(ownerOnly)})`,
  ];
}

/**
 * A config the user made read-only (or one this user may not write) is theirs to keep: a change
 * is refused with how to allow it, never forced through by renaming over the file.
 */
async function refuseIfReadOnly(filePath: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(filePath)).mode & 0o777;
  } catch {
    return; // Nothing there (yet): the write creates it.
  }
  const writable =
    (mode & 0o200) !== 0 &&
    (await access(filePath, constants.W_OK).then(
      () => true,
      () => false,
    ));
  if (writable) return;
  const allow =
    process.platform === 'win32'
      ? `clear the file's read-only attribute (attrib -r "${filePath}")`
      : `run \`chmod u+w ${filePath}\``;
  throw new ConfigError({
    filePath,
    detail: `is read-only (mode ${octal(mode)}), so the change was not saved — ${allow} to allow changes; until then the worker runs with the settings in the file`,
  });
}

/**
 * Opens (creating it with defaults if missing) the config file; rejects with ConfigError if malformed.
 * Long on purpose (over 120 lines): the store's methods share one serial queue, the current
 * config and the watchers; each method is short and they read best side by side.
 */
export async function openConfigStore(
  filePath: string,
  watchOptions: FileWatchOptions = {},
): Promise<ConfigStore> {
  const initial = await loadOrCreate(filePath);
  const warnings = await checkPermissions(filePath);
  let current = initial.config;
  let extra = initial.extra;
  /** The text of the last good file read or written: unchanged text needs no parse. */
  let goodText = initial.text;
  /** The last malformed text reported, so each bad version is reported once. */
  let reportedBadText: string | undefined;
  const listeners = new Set<Listener>();
  let stopWatching: (() => void) | undefined;

  // Reads, writes and watch checks run one at a time, so a check that read the file before an
  // update cannot overwrite the update's result with older contents.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const adopt = (parsed: ParsedConfig, text: string): WorkerConfig => {
    goodText = text;
    reportedBadText = undefined;
    extra = parsed.extra;
    if (!isDeepStrictEqual(parsed.config, current)) {
      current = parsed.config;
      for (const listener of [...listeners]) {
        try {
          listener.onChange(current);
        } catch {
          // A listener's bug must not stop the store from watching or the others from hearing.
        }
      }
    }
    return current;
  };

  const reportBad = (error: ConfigError, text: string | undefined) => {
    if (text !== undefined && text === reportedBadText) return;
    reportedBadText = text;
    for (const listener of [...listeners]) {
      try {
        listener.onError(error);
      } catch {
        // See adopt.
      }
    }
  };

  /** Writes `config` (with the extras it came with) unless the file already says exactly that. */
  const save = async (
    config: WorkerConfig,
    withExtra: Record<string, unknown>,
    onDisk?: string,
  ) => {
    const text = serializeConfig(config, withExtra);
    if (text !== onDisk) {
      await refuseIfReadOnly(filePath);
      await writeOrExplain(filePath, text);
    }
    return adopt({ config, extra: withExtra }, text);
  };

  const checkFile = async () => {
    let text: string | undefined;
    try {
      text = await readConfigText(filePath);
      // Deleted (or being replaced): keep the last good config; the next save recreates it.
      if (text === undefined) return;
      if (text === goodText) {
        // Back to the last good version: a later bad edit is news again.
        reportedBadText = undefined;
        return;
      }
      adopt(parseConfig(text, filePath), text);
    } catch (error) {
      if (error instanceof ConfigError) reportBad(error, text);
    }
  };

  return {
    path: filePath,
    warnings,
    current: () => current,

    update: (change) =>
      serial(async () => {
        const onDisk = await readConfigText(filePath);
        // Missing file: someone deleted it while we run; rebuild it from what we know.
        const base =
          onDisk === undefined ? { config: current, extra } : parseConfig(onDisk, filePath);
        const checked = validateConfig(change(base.config));
        if (checked.kind === 'invalid') {
          throw new ConfigError({
            filePath,
            detail: `${checked.problem.message} — the change was not saved`,
            ...(checked.problem.key === undefined ? {} : { key: checked.problem.key }),
          });
        }
        // A change that changes no setting leaves the file as the user wrote it (and is not
        // refused when the file is read-only).
        if (onDisk !== undefined && isDeepStrictEqual(checked.value, base.config))
          return adopt(base, onDisk);
        return save(checked.value, base.extra, onDisk);
      }),

    reload: () =>
      serial(async () => {
        const onDisk = await readConfigText(filePath);
        if (onDisk === undefined) return save(current, extra);
        return adopt(parseConfig(onDisk, filePath), onDisk);
      }),

    watch: (onChange, onError) => {
      const listener: Listener = { onChange, onError };
      listeners.add(listener);
      if (stopWatching === undefined) {
        stopWatching = watchFileChanges(filePath, () => void serial(checkFile), watchOptions);
        // Catch up with anything written between opening the store and subscribing.
        void serial(checkFile);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stopWatching?.();
          stopWatching = undefined;
        }
      };
    },
  };
}

async function loadOrCreate(filePath: string): Promise<ParsedConfig & { text: string }> {
  const text = await readConfigText(filePath);
  if (text !== undefined) return { ...parseConfig(text, filePath), text };
  const dir = path.dirname(filePath);
  try {
    // 0700: the folder holds a file with credentials. Only applies to folders created here.
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError({
      filePath,
      detail: `could not create the folder ${dir}: ${reason(error)} — check its permissions or pass --config`,
      cause: error,
    });
  }
  const config = defaultConfig();
  const defaults = serializeConfig(config, {});
  await writeOrExplain(filePath, defaults);
  return { config, extra: {}, text: defaults };
}

/** The file's text, or undefined when it does not exist. */
async function readConfigText(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError({
      filePath,
      detail: `could not read the config file: ${reason(error)} — check its permissions`,
      cause: error,
    });
  }
}

async function writeOrExplain(filePath: string, text: string): Promise<void> {
  try {
    // A config kept with the user's dotfiles stays a link: the file it points at is rewritten.
    await writeFileAtomic(filePath, text, { symlinks: 'follow' });
  } catch (error) {
    throw new ConfigError({
      filePath,
      detail: `could not save the config file: ${reason(error)} — check that its folder is writable`,
      cause: error,
    });
  }
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = errorMessage(error);
  return code !== undefined && !message.startsWith(code) ? `${code} ${message}` : message;
}
