import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  readFile,
  readdir,
  rename,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/config/defaults.js';
import { ConfigError } from '../../../src/core/config/errors.js';
import { openConfigStore, type ConfigStore } from '../../../src/core/config/store.js';
import { parseConfig } from '../../../src/core/config/toml.js';
import type { WorkerConfig } from '../../../src/core/config/types.js';
import { useTempDirs } from './temp-dir.js';
import type { ManualClock } from '../../helpers/manual-clock.js';
import { manualClock } from '../../helpers/manual-clock.js';

const makeTempDir = useTempDirs();
const posixOnly = it.skipIf(process.platform === 'win32');

/** What another process does: write a temp file next to the target and rename it over. */
async function writeLikeAnotherProcess(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `other-${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, text);
  await rename(temp, file);
}

async function configFile(text?: string): Promise<string> {
  const file = path.join(await makeTempDir(), 'config.toml');
  if (text !== undefined) await writeFile(file, text);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** Subscribes and records what the store reports. */
const POLL_MS = 1_000;
let savedAt = 1_700_000_000;
const DEBOUNCE_MS = 100;

/** A store that notices edits by its poll alone, timed by a manual clock. */
async function polledStore(file: string) {
  const clock = manualClock();
  const store = await openConfigStore(file, {
    useFsWatch: false,
    pollMs: POLL_MS,
    debounceMs: DEBOUNCE_MS,
    clock,
  });
  return { store, clock };
}

/** Waits (real I/O: a stat) until the watcher's poll has finished and scheduled the next. */
async function pollSettled(clock: ManualClock): Promise<void> {
  await vi.waitFor(() => expect(clock.pending()).toBeGreaterThanOrEqual(1), { timeout: 3000 });
}

/**
 * Runs one poll, which must notice that the file changed, and its debounce; then waits until the
 * store has checked the file (its reads and writes run one at a time, so a no-op update queued
 * after the check resolves only once the check is done).
 */
async function pollAndCheck(file: string, store: ConfigStore, clock: ManualClock): Promise<void> {
  // Two saves within one filesystem timestamp tick can leave inode, size and mtime alike; a
  // save seen by a poll a second later has a later mtime, so give it one.
  savedAt += 60;
  await utimes(file, savedAt, savedAt);
  // Exactly to the poll (what is due after it, like its debounce, stays pending).
  await clock.next();
  await pollSettled(clock);
  // The next poll and the debounce: the poll saw the change.
  expect(clock.pending()).toBe(2);
  await clock.advance(DEBOUNCE_MS);
  await store.update((c) => c).catch(() => undefined);
}

function record(store: ConfigStore) {
  const changes: WorkerConfig[] = [];
  const errors: ConfigError[] = [];
  const stop = store.watch(
    (config) => changes.push(config),
    (error) => errors.push(error),
  );
  return { changes, errors, stop };
}

const GOOD =
  'engine = "synthetic"\nvram_threshold_gb = 10\nnickname = "rig-7"\n\n[schedule]\njitter = 0.1\n';

describe('openConfigStore', () => {
  it('writes the defaults when the file does not exist', async () => {
    const file = await configFile();
    const store = await openConfigStore(file);
    expect(store.current()).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(await readFile(file, 'utf8'), file).config).toEqual(DEFAULT_CONFIG);
  });

  posixOnly('creates missing parent folders with mode 0700 and the file with 0600', async () => {
    const root = await makeTempDir();
    const file = path.join(root, 'a', 'b', 'config.toml');
    await openConfigStore(file);
    expect((await stat(path.join(root, 'a'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(root, 'a', 'b'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('reads an existing file', async () => {
    const store = await openConfigStore(await configFile(GOOD));
    expect(store.current().vram_threshold_gb).toBe(10);
  });

  it('rejects a malformed file and leaves its bytes untouched', async () => {
    const bad = 'engine = "synthetic"\nvram_threshold_gb = = 3\n';
    const file = await configFile(bad);
    const error = await rejection(openConfigStore(file));
    expect(error.line).toBe(2);
    expect(error.message).toContain('invalid TOML');
    expect(await readFile(file, 'utf8')).toBe(bad);
  });

  it('rejects a file with an invalid value, naming line and key, without rewriting it', async () => {
    const bad = '# mine\nvram_threshold_gb = -1\n';
    const file = await configFile(bad);
    const error = await rejection(openConfigStore(file));
    expect(error.message).toBe(`${file} line 2: vram_threshold_gb must be >= 0 (got -1)`);
    expect(await readFile(file, 'utf8')).toBe(bad);
  });
});

describe('a config file the user arranged', () => {
  posixOnly('stays a symlink through an update, which changes the file it points at', async () => {
    const real = await configFile(GOOD);
    const link = path.join(await makeTempDir(), 'config.toml');
    await symlink(real, link);
    const store = await openConfigStore(link);
    await store.update((c) => ({ ...c, auto_enabled: false }));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(parseConfig(await readFile(real, 'utf8'), real).config.auto_enabled).toBe(false);
    expect(store.current().auto_enabled).toBe(false);
  });

  posixOnly('that other users can read is made owner-only, with one warning', async () => {
    const file = await configFile(GOOD);
    await chmod(file, 0o644);
    const store = await openConfigStore(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(store.warnings).toEqual([
      `${file} was readable by other users (mode 0644) and holds the worker's credentials: made it owner-only (mode 0600)`,
    ]);
    expect((await openConfigStore(file)).warnings).toEqual([]);
  });

  posixOnly(
    'that is read-only is read, and a change is refused saying how to allow it',
    async () => {
      const file = await configFile(GOOD);
      await chmod(file, 0o400);
      const store = await openConfigStore(file);
      expect(store.current().vram_threshold_gb).toBe(10);
      const error = await rejection(store.update((c) => ({ ...c, auto_enabled: false })));
      expect(error.message).toBe(
        `${file}: is read-only (mode 0400), so the change was not saved — run \`chmod u+w ${file}\` to allow changes; until then the worker runs with the settings in the file`,
      );
      expect(await readFile(file, 'utf8')).toBe(GOOD);
      expect((await stat(file)).mode & 0o777).toBe(0o400);
      expect(store.current().auto_enabled).toBe(true);
      // An update that changes nothing writes nothing, so it is not refused.
      await expect(store.update((c) => c)).resolves.toMatchObject({ vram_threshold_gb: 10 });
    },
  );
});

describe('ConfigStore.update', () => {
  it('writes the change and returns the new config', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const next = await store.update((c) => ({ ...c, auto_enabled: false }));
    expect(next.auto_enabled).toBe(false);
    expect(store.current().auto_enabled).toBe(false);
    expect(parseConfig(await readFile(file, 'utf8'), file).config.auto_enabled).toBe(false);
  });

  posixOnly('keeps the file at mode 0600 after an update', async () => {
    const file = await configFile(GOOD);
    await chmod(file, 0o644);
    const store = await openConfigStore(file);
    await store.update((c) => ({ ...c, auto_enabled: false }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps unknown keys, top-level and in [schedule], through an update', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    await store.update((c) => ({ ...c, vram_threshold_gb: 16 }));
    expect(parseConfig(await readFile(file, 'utf8'), file).extra).toEqual({
      nickname: 'rig-7',
      schedule: { jitter: 0.1 },
    });
  });

  it('starts from the file on disk, so an edit by another process is not lost', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    await writeLikeAnotherProcess(
      file,
      GOOD.replace('vram_threshold_gb = 10', 'vram_threshold_gb = 20'),
    );
    await store.update((c) => ({ ...c, auto_enabled: false }));
    const onDisk = parseConfig(await readFile(file, 'utf8'), file).config;
    expect([onDisk.vram_threshold_gb, onDisk.auto_enabled]).toEqual([20, false]);
  });

  it('refuses to update a file that became malformed, leaving it untouched', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const bad = 'engine = "synthetic\n';
    await writeLikeAnotherProcess(file, bad);
    const error = await rejection(store.update((c) => ({ ...c, auto_enabled: false })));
    expect(error.message).toContain('invalid TOML');
    expect(await readFile(file, 'utf8')).toBe(bad);
  });

  it('rejects an invalid result with the key and message, writing nothing', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const before = await readFile(file);
    const error = await rejection(store.update((c) => ({ ...c, vram_threshold_gb: -1 })));
    expect(error.key).toBe('vram_threshold_gb');
    expect(error.message).toBe(
      `${file}: vram_threshold_gb must be >= 0 (got -1) — the change was not saved`,
    );
    expect(await readFile(file)).toEqual(before);
    expect(store.current().vram_threshold_gb).toBe(10);
  });

  it('applies concurrent updates one after another, losing none', async () => {
    const file = await configFile('vram_threshold_gb = 0\n');
    const store = await openConfigStore(file);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.update((c) => ({ ...c, vram_threshold_gb: c.vram_threshold_gb + 1 })),
      ),
    );
    expect(parseConfig(await readFile(file, 'utf8'), file).config.vram_threshold_gb).toBe(20);
  });

  it('never leaves the file half-written while many updates run', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    // Large files, so that a non-atomic write would be caught truncated or half-written.
    const models = Array.from({ length: 5000 }, (_, i) => `model-${i}`);
    const withModels = (count: number) => (c: WorkerConfig) => ({
      ...c,
      supported_models_override: models.slice(0, count),
    });
    await store.update(withModels(4000));
    let writing = true;
    const updates = (async () => {
      for (let i = 1; i <= 40; i += 1) await store.update(withModels(4000 + i * 20));
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const text = await readFile(file, 'utf8');
      // Every complete version lists at least 4000 models and keeps the unknown keys.
      const { config, extra } = parseConfig(text, file);
      expect(config.supported_models_override.length).toBeGreaterThanOrEqual(4000);
      expect(extra.nickname).toBe('rig-7');
      reads += 1;
    }
    await updates;
    expect(reads).toBeGreaterThan(0);
    expect(await readdir(path.dirname(file))).toEqual(['config.toml']);
  });

  it('recreates a deleted file from the current config', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    await rename(file, `${file}.moved`);
    await store.update((c) => ({ ...c, auto_enabled: false }));
    const { config, extra } = parseConfig(await readFile(file, 'utf8'), file);
    expect([config.vram_threshold_gb, config.auto_enabled, extra.nickname]).toEqual([
      10,
      false,
      'rig-7',
    ]);
  });
});

describe('ConfigStore.reload', () => {
  it('picks up an edit made by another process', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = 4\n');
    expect((await store.reload()).vram_threshold_gb).toBe(4);
    expect(store.current().vram_threshold_gb).toBe(4);
  });

  it('rejects a malformed file and keeps the last good config', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = [\n');
    await rejection(store.reload());
    expect(store.current().vram_threshold_gb).toBe(10);
  });
});

describe('ConfigStore.watch', () => {
  it('applies an edit another process makes by atomic rename', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const { changes, stop } = record(store);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = 6.5\n');
    await vi.waitFor(() => expect(changes.at(-1)?.vram_threshold_gb).toBe(6.5), { timeout: 3000 });
    expect(store.current().vram_threshold_gb).toBe(6.5);
    stop();
  });

  it('applies an edit written in place', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const { changes, stop } = record(store);
    await writeFile(file, 'auto_enabled = false\n');
    await vi.waitFor(() => expect(changes.at(-1)?.auto_enabled).toBe(false), { timeout: 3000 });
    stop();
  });

  it('notices an edit by polling alone when fs.watch reports nothing', async () => {
    const file = await configFile(GOOD);
    const { store, clock } = await polledStore(file);
    const { changes, stop } = record(store);
    await pollSettled(clock); // the poll's baseline
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = 3\n');
    await pollAndCheck(file, store, clock);
    expect(changes.at(-1)?.vram_threshold_gb).toBe(3);
    stop();
  });

  it('reports a malformed edit once and keeps the last good config', async () => {
    const file = await configFile(GOOD);
    const { store, clock } = await polledStore(file);
    const { changes, errors, stop } = record(store);
    await pollSettled(clock);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = = 1\n');
    await pollAndCheck(file, store, clock);
    expect(errors).toHaveLength(1);
    // The same bad content saved again is not reported again.
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = = 1\n');
    await pollAndCheck(file, store, clock);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(1);
    expect(store.current().vram_threshold_gb).toBe(10);
    expect(changes).toEqual([]);
    stop();
  });

  it('applies the fixed file after a malformed edit', async () => {
    const file = await configFile(GOOD);
    const store = await openConfigStore(file);
    const { changes, errors, stop } = record(store);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = -3\n');
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 3000 });
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = 3\n');
    await vi.waitFor(() => expect(changes.at(-1)?.vram_threshold_gb).toBe(3), { timeout: 3000 });
    stop();
  });

  it('does not call onChange for an edit that changes no setting', async () => {
    const file = await configFile(GOOD);
    const { store, clock } = await polledStore(file);
    const { changes, stop } = record(store);
    await pollSettled(clock);
    await writeLikeAnotherProcess(file, `# a comment\n${GOOD}`);
    await pollAndCheck(file, store, clock);
    expect(changes).toEqual([]);
    stop();
  });

  it('reports a change made through update to its watchers', async () => {
    const store = await openConfigStore(await configFile(GOOD));
    const { changes, stop } = record(store);
    await store.update((c) => ({ ...c, auto_start: false }));
    expect(changes.map((c) => c.auto_start)).toEqual([false]);
    stop();
  });

  it('stops reporting after unsubscribing', async () => {
    const file = await configFile(GOOD);
    const { store, clock } = await polledStore(file);
    const { changes, stop } = record(store);
    await pollSettled(clock);
    stop();
    // Nothing is left that could notice the edit: no poll, no debounce.
    expect(clock.pending()).toBe(0);
    await writeLikeAnotherProcess(file, 'vram_threshold_gb = 1\n');
    await clock.advance(10 * POLL_MS);
    expect(changes).toEqual([]);
    expect(store.current().vram_threshold_gb).toBe(10);
  });
});
