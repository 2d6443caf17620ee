// The studio-worker command in-process: parsing, outputs, exit codes and errors.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/main.js';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/harness.js';

let dir: string;
let config: string;
let sim: StudioSim | undefined;
beforeEach(async () => {
  dir = await tempDir();
  config = path.join(dir, 'config.toml');
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('command line parsing', () => {
  it('finds the command after global options', async () => {
    const parsed = await parseCommandLine(['--config', '/x.toml', 'status', '--json']);
    expect(parsed.command?.name).toBe('status');
    expect(parsed.values).toMatchObject({ config: '/x.toml', json: true });
  });

  it('exits 2 with one line for an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'studio-worker: unknown command: frobnicate (run `studio-worker --help` for the list)\n',
    );
  });

  it('exits 2 for a command name that only exists on Object.prototype', async () => {
    const r = await runCli(['constructor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command: constructor');
  });

  it('exits 2 for an unknown option', async () => {
    const r = await runCli(['status', '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--colour');
  });

  it('exits 2 when a command gets the wrong number of arguments', async () => {
    const r = await runCli(['--config', config, 'set-threshold']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: studio-worker set-threshold <gb>');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await runCli(['--version'])).toEqual({
      code: 0,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
  });

  it('lists every command in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const name of [
      'run',
      'register',
      'status',
      'enable',
      'disable',
      'set-threshold',
      'config',
      'check-update',
      'studio-sim',
      'demo',
    ]) {
      expect(r.stdout).toContain(`  ${name}`);
    }
  });

  it('rejects an unknown --log-format', async () => {
    const r = await runCli(['--log-format', 'xml', 'status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--log-format must be text or json');
  });
});

describe('settings commands', () => {
  it('writes the defaults when the config file is missing', async () => {
    const r = await runCli(['--config', config, 'enable']);
    expect(r.code).toBe(0);
    expect(await readFile(config, 'utf8')).toContain('api_base_url = "http://localhost:9790"');
  });

  it('disable and enable switch auto_enabled in the file', async () => {
    expect((await runCli(['--config', config, 'disable'])).stdout).toContain('claiming disabled');
    expect(await readFile(config, 'utf8')).toMatch(/auto_enabled = false/);
    await runCli(['--config', config, 'enable']);
    expect(await readFile(config, 'utf8')).toMatch(/auto_enabled = true/);
  });

  it('finds the config through STUDIO_WORKER_CONFIG', async () => {
    await runCli(['disable'], { STUDIO_WORKER_CONFIG: config });
    expect(await readFile(config, 'utf8')).toMatch(/auto_enabled = false/);
  });

  it('set-threshold stores the number', async () => {
    const r = await runCli(['--config', config, 'set-threshold', '7.5']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('7.5 GB') });
    expect(await readFile(config, 'utf8')).toMatch(/vram_threshold_gb = 7\.5/);
  });

  it('refuses a negative threshold with the rule, and leaves the file as it was', async () => {
    await runCli(['--config', config, 'set-threshold', '8']);
    const before = await readFile(config, 'utf8');
    const r = await runCli(['--config', config, 'set-threshold', '--', '-1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('vram_threshold_gb must be >= 0 (got -1)');
    expect(await readFile(config, 'utf8')).toBe(before);
  });

  it('refuses a threshold that is not a number as a usage error', async () => {
    const r = await runCli(['--config', config, 'set-threshold', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('set-threshold needs a number of GB (got "lots")');
  });

  it('never overwrites a malformed config file and names its line', async () => {
    const broken = 'api_base_url = "http://x"\nvram_threshold_gb = = 3\n';
    await writeFile(config, broken);
    const r = await runCli(['--config', config, 'disable']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(config);
    expect(r.stderr).toContain('line 2');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readFile(config, 'utf8')).toBe(broken);
  });

  it('config shows the settings with secrets redacted', async () => {
    await writeFile(
      config,
      'bootstrap_token = "boot-secret-1"\nworker_id = "w-7"\nauth_token = "auth-secret-2"\n',
    );
    const r = await runCli(['--config', config, 'config']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`# ${config}`);
    expect(r.stdout).toContain('worker_id = "w-7"');
    expect(r.stdout).toContain('bootstrap_token = "<redacted>"');
    expect(r.stdout).not.toContain('boot-secret-1');
    expect(r.stdout).not.toContain('auth-secret-2');
  });
});

describe('register and status', () => {
  it('registers with the studio and stores the credentials without printing the token', async () => {
    sim = await startStudioSim({ port: 0 });
    const r = await runCli(['--config', config, 'register', '--api-base-url', sim.url]);
    expect(r.code).toBe(0);
    const workerId = sim.workers()[0]?.workerId;
    expect(r.stdout).toBe(`registered with ${sim.url} as worker ${workerId}\n`);
    const text = await readFile(config, 'utf8');
    expect(text).toContain(`worker_id = "${workerId}"`);
    expect(text).toMatch(/auth_token = ".+"/);
  });

  it('exits 1 with a clear line when the studio refuses the bootstrap token', async () => {
    sim = await startStudioSim({ port: 0 });
    const r = await runCli([
      '--config',
      config,
      'register',
      '--api-base-url',
      sim.url,
      '--bootstrap-token',
      'wrong-token-xyz',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('register failed: 401');
    expect(r.stderr).toContain('check bootstrap_token');
    expect(r.stderr).not.toContain('wrong-token-xyz');
  });

  it('exits 1 naming the address when the studio cannot be reached', async () => {
    const r = await runCli([
      '--config',
      config,
      'register',
      '--api-base-url',
      'http://127.0.0.1:9',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not reach the studio at http://127.0.0.1:9');
  });

  it('status says not running and shows the settings when no worker runs', async () => {
    await runCli(['--config', config, 'set-threshold', '10']);
    const r = await runCli(['--config', config, 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('worker:         not running');
    expect(r.stdout).toContain('VRAM threshold: 10 GB');
  });

  it('status --json is machine-readable and has no secrets', async () => {
    await writeFile(config, 'worker_id = "w-1"\nauth_token = "auth-secret-3"\n');
    const r = await runCli(['--config', config, 'status', '--json']);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      running: false,
      registration: { kind: 'registered', workerId: 'w-1' },
    });
    expect(r.stdout).not.toContain('auth-secret-3');
  });

  it('run refuses to work a config another live worker holds, naming it', async () => {
    await writeFile(config, 'api_base_url = "http://127.0.0.1:9"\n', { mode: 0o600 });
    // The test runner's parent: a live process that is not this one.
    await writeFile(
      path.join(dir, 'worker.lock'),
      JSON.stringify({ pid: process.ppid, holder: 'the Studio Worker tray app', since: 'then' }),
    );
    const r = await runCli(['--config', config, 'run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `another Studio Worker already works with ${config}: the Studio Worker tray app (pid ${process.ppid}`,
    );
  });

  it('run exits 1 naming an unknown engine', async () => {
    await writeFile(config, 'engine = "quantum"\n');
    const r = await runCli(['--config', config, 'run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown engine: quantum');
  });
});

describe('check-update', () => {
  it('reports a newer release from the feed', async () => {
    sim = await startStudioSim({
      port: 0,
      releases: [{ version: '99.0.0' }, { version: '0.0.1' }],
    });
    await writeFile(config, `auto_update_feed = "${sim.url}/releases"\n`);
    const r = await runCli(['--config', config, 'check-update']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a newer release is available: 99.0.0');
  });

  it('says up to date when the feed has nothing newer', async () => {
    sim = await startStudioSim({ port: 0, releases: [{ version: '0.0.1' }] });
    await writeFile(config, `auto_update_feed = "${sim.url}/releases"\n`);
    const r = await runCli(['--config', config, 'check-update']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('up to date') });
  });

  it('exits 1 with the reason when the feed cannot be read', async () => {
    await writeFile(config, 'auto_update_feed = "http://127.0.0.1:9/releases"\n');
    const r = await runCli(['--config', config, 'check-update']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('update check failed');
  });
});

describe('log output', () => {
  it('writes one JSON object per line with --log-format json', async () => {
    const { consoleSink } = await import('../../src/cli/log-output.js');
    let out = '';
    consoleSink(
      'json',
      (t) => (out += t),
    )({
      ts: '2026-05-16T00:00:00.000Z',
      level: 'info',
      category: 'job',
      message: 'hi',
      jobId: 'j',
    });
    expect(JSON.parse(out)).toEqual({
      ts: '2026-05-16T00:00:00.000Z',
      level: 'info',
      category: 'job',
      message: 'hi',
      jobId: 'j',
    });
    expect(out.endsWith('\n')).toBe(true);
  });
});
