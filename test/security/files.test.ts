// File permissions: the config (credentials) is owner-only, the spool folder too, and a config
// that other users could write is refused with a clear error; one they could read is fixed with
// a warning; a read-only one is respected; a symlinked one stays a link.
import { chmod, lstat, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

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

describe('a config the user arranged', () => {
  it('that other users can read is made owner-only, with a warning the first time', async () => {
    const config = path.join(await tempDir(), 'config.toml');
    await writeFile(config, 'auto_enabled = true\n');
    await chmod(config, 0o644);
    const first = await runCli(['--config', config, 'status']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      `warning: ${config} was readable by other users (mode 0644) and holds the worker's credentials: made it owner-only (mode 0600)`,
    );
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect((await runCli(['--config', config, 'status'])).stderr).not.toContain('warning');
  });

  it('that other users can read is fixed by `run` too, which logs the warning', async () => {
    const sim = await startStudioSim({ port: 0 });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir);
      await chmod(store.path, 0o640);
      const run = spawnCli(['run', '--config', store.path]);
      // Real time: a real `run` process registers and starts its loops.
      await eventually(() => run.output().includes('registered as worker'), 'registration', 15_000);
      run.child.kill('SIGTERM');
      const result = await run.exited;
      expect(result.code, run.output()).toBe(0);
      expect(result.stdout).toMatch(
        /warn \[config\] .*config\.toml was readable by other users \(mode 0640\).*made it owner-only \(mode 0600\)/,
      );
      expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('that is a symlink stays one when a command changes it', async () => {
    const dir = await tempDir();
    const real = path.join(dir, 'dotfiles-worker.toml');
    await writeFile(real, 'auto_enabled = true\n', { mode: 0o600 });
    const config = path.join(dir, 'config.toml');
    await symlink(real, config);
    expect((await runCli(['--config', config, 'disable'])).code).toBe(0);
    expect((await lstat(config)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toContain('auto_enabled = false');
  });

  it('that is read-only refuses changes with a clear error, and the worker runs with it', async () => {
    const sim = await startStudioSim({ port: 0 });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir);
      expect((await runCli(['--config', store.path, 'register'])).code).toBe(0);
      await chmod(store.path, 0o400);
      const before = await readFile(store.path, 'utf8');

      const refused = await runCli(['--config', store.path, 'disable']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${store.path}: is read-only (mode 0400)`);
      expect(refused.stderr).toContain(`chmod u+w ${store.path}`);

      const run = spawnCli(['run', '--config', store.path]);
      const id = sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
      // Real time: a real `run` process claims and finishes the job.
      await eventually(() => sim.job(id)?.state === 'completed', 'the job', 15_000);
      run.child.kill('SIGTERM');
      expect((await run.exited).code, run.output()).toBe(0);
      expect(await readFile(store.path, 'utf8')).toBe(before);
      expect((await stat(store.path)).mode & 0o777).toBe(0o400);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
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
