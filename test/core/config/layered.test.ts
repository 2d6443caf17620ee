import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/config/errors.js';
import { IDENTITY_FILE, openLayeredConfigStore } from '../../../src/core/config/layered.js';
import { parseConfig } from '../../../src/core/config/toml.js';
import { useTempDirs } from './temp-dir.js';

const makeTempDir = useTempDirs();

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

describe('config layered: defaults < config.toml < state folder < environment', () => {
  it('takes a value from the environment over the file, and never writes it into the file', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'config.toml');
    await writeFile(file, 'api_base_url = "http://127.0.0.1:1111"\nvram_threshold_gb = 8.0\n', {
      mode: 0o600,
    });
    const store = await openLayeredConfigStore(file, {
      env: { STUDIO_WORKER_API_BASE_URL: 'http://127.0.0.1:2222' },
    });
    expect(store.current().api_base_url).toBe('http://127.0.0.1:2222');
    expect(store.current().vram_threshold_gb).toBe(8);

    await store.update((c) => ({ ...c, vram_threshold_gb: 10 }));
    const onDisk = parseConfig(await readFile(file, 'utf8'), file).config;
    expect(onDisk.vram_threshold_gb).toBe(10);
    expect(onDisk.api_base_url).toBe('http://127.0.0.1:1111');
    expect(store.current().api_base_url).toBe('http://127.0.0.1:2222');
  });

  it('refuses a change to a key the environment sets, naming the variable', async () => {
    const dir = await makeTempDir();
    const store = await openLayeredConfigStore(path.join(dir, 'config.toml'), {
      env: { STUDIO_WORKER_VRAM_THRESHOLD_GB: '16' },
    });
    const error = await store
      .update((c) => ({ ...c, vram_threshold_gb: 4 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).detail).toBe(
      'vram_threshold_gb is set by the environment variable STUDIO_WORKER_VRAM_THRESHOLD_GB — change it there; the change was not saved',
    );
    expect(store.current().vram_threshold_gb).toBe(16);
  });

  it('needs no config file when the environment configures the worker, and creates none', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'config.toml');
    const store = await openLayeredConfigStore(file, {
      env: { STUDIO_WORKER_API_BASE_URL: 'http://127.0.0.1:3333' },
    });
    await store.update((c) => ({ ...c, auto_enabled: false }));
    expect(store.current()).toMatchObject({
      api_base_url: 'http://127.0.0.1:3333',
      auto_enabled: false,
    });
    expect(await fileExists(file)).toBe(false);
  });

  it('still creates the file with defaults when nothing comes from the environment', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'config.toml');
    await openLayeredConfigStore(file, { env: {} });
    expect(await fileExists(file)).toBe(true);
  });

  it('keeps the worker id and token in state_dir, owner-only, so a restart keeps its identity', async () => {
    const dir = await makeTempDir();
    const stateDir = path.join(dir, 'state');
    const env = { STUDIO_WORKER_STATE_DIR: stateDir, STUDIO_WORKER_BOOTSTRAP_TOKEN: 'boot' };
    const file = path.join(dir, 'config.toml');
    const store = await openLayeredConfigStore(file, { env });
    await store.update((c) => ({ ...c, worker_id: 'w-1', auth_token: 'tok-1' }));

    const identity = path.join(stateDir, IDENTITY_FILE);
    expect(JSON.parse(await readFile(identity, 'utf8'))).toEqual({
      worker_id: 'w-1',
      auth_token: 'tok-1',
    });
    if (process.platform !== 'win32') expect((await stat(identity)).mode & 0o777).toBe(0o600);
    expect(await fileExists(file)).toBe(false);

    const restarted = await openLayeredConfigStore(file, { env });
    expect(restarted.current()).toMatchObject({ worker_id: 'w-1', auth_token: 'tok-1' });
  });

  it('refuses a state folder identity file that is not one, saying what to do', async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, IDENTITY_FILE), '["not", "an identity"]');
    const error = await openLayeredConfigStore(path.join(dir, 'config.toml'), {
      env: { STUDIO_WORKER_STATE_DIR: dir },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('delete it to register again');
  });

  it('refuses an invalid variable before anything runs, naming it', async () => {
    const dir = await makeTempDir();
    const error = await openLayeredConfigStore(path.join(dir, 'config.toml'), {
      env: { STUDIO_WORKER_SHUTDOWN_GRACE_SECS: '-1' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'environment: STUDIO_WORKER_SHUTDOWN_GRACE_SECS: shutdown_grace_secs must be from 0 to 3600 (got -1) — fix or unset the variable',
    );
  });
});
