// File permissions: the config (credentials) is owner-only, the spool folder too, and a config
// that other users could write is refused with a clear error.
import { chmod, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/harness.js';

describe('file permissions', () => {
  it('writes the config owner-only (0600)', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    await runCli(['--config', config, 'enable']);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });

  it('refuses a config file that other users can write, saying how to fix it', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    await writeFile(config, 'auto_enabled = true\n');
    await chmod(config, 0o666);
    const r = await runCli(['--config', config, 'status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is writable by other users (mode 0666)');
    expect(r.stderr).toContain(`chmod 600 ${config}`);
  });
});

describe('transport', () => {
  it('refuses a studio over plain http on another host unless allowed', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    await writeFile(config, 'api_base_url = "http://studio.example.com"\n');
    const r = await runCli(['--config', config, 'status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('must use https:// unless the studio runs on this machine');
    await writeFile(
      config,
      'api_base_url = "http://studio.example.com"\nallow_insecure_http = true\n',
    );
    expect((await runCli(['--config', config, 'status'])).code).toBe(0);
  });

  it('accepts https anywhere and http on this machine', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    for (const url of [
      'https://studio.example.com',
      'http://127.0.0.1:9790',
      'http://localhost:1',
      'http://[::1]:9',
    ]) {
      await writeFile(config, `api_base_url = "${url}"\n`);
      expect((await runCli(['--config', config, 'status'])).code, url).toBe(0);
    }
  });

  it('refuses an update feed over plain http on another host', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    await writeFile(config, 'auto_update_feed = "http://releases.example.com/feed.json"\n');
    const r = await runCli(['--config', config, 'check-update']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('auto_update_feed');
  });
});
