// Boots the built main entry (dist/main/index.js) in plain Node with electron, electron-log/main
// and @sentry/electron/main replaced by loader-hook fakes that keep Electron's ordering rules
// (see fake-electron.mjs), and checks what a user sees: the tray, or the window with the error,
// and a clean exit on Quit. Catches what unit tests with injected ports cannot: start-up order.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const ENTRY = path.join(root, 'dist/main/index.js');
const REGISTER = path.join(import.meta.dirname, 'register.mjs');

interface BootEvent {
  event: string;
  [key: string]: unknown;
}

interface Booted {
  events: BootEvent[];
  /** Resolves once an event matching `event` was printed (rejects after 30 s). */
  waitFor(event: string): Promise<BootEvent>;
  quit(): void;
  exited: Promise<number | null>;
}

let dir = '';
const running: Booted[] = [];

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npx tsc -b\` first`);
});

afterEach(async () => {
  for (const booted of running.splice(0)) {
    booted.quit();
    await booted.exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function boot(opts: { configText?: string; env?: Record<string, string> }): Promise<{
  booted: Booted;
  configPath: string;
}> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-boot-'));
  await mkdir(path.join(dir, 'home'));
  const configPath = path.join(dir, 'config.toml');
  if (opts.configText !== undefined) {
    await writeFile(configPath, opts.configText);
    await chmod(configPath, 0o600);
  }
  const child = spawn(
    process.execPath,
    ['--import', REGISTER, ENTRY, '--config', configPath, '--hidden'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: path.join(dir, 'home'),
        BOOT_DIR: dir,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const events: BootEvent[] = [];
  const waiters: { event: string; resolve: (e: BootEvent) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line.startsWith('@boot ')) continue;
      const event = JSON.parse(line.slice(6)) as BootEvent;
      events.push(event);
      for (const w of waiters.filter((x) => x.event === event.event)) w.resolve(event);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const booted: Booted = {
    events,
    // A real child process starts in real time: a generous deadline, never a fixed sleep.
    waitFor: (event) =>
      new Promise((resolve, reject) => {
        const seen = events.find((e) => e.event === event);
        if (seen) return resolve(seen);
        const timer = setTimeout(
          () => reject(new Error(`no ${event} in ${JSON.stringify(events)}; stderr: ${stderr}`)),
          30_000,
        );
        waiters.push({
          event,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      }),
    quit: () => {
      if (child.exitCode === null && !child.stdin.destroyed) child.stdin.write('quit\n');
    },
    exited,
  };
  running.push(booted);
  return { booted, configPath };
}

const order = (booted: Booted) => booted.events.map((e) => e.event);

describe('booting dist/main/index.js under Electron’s rules', () => {
  it('reaches its tray with a Sentry DSN set, error reports started before ready', async () => {
    const { booted } = await boot({
      configText: 'api_base_url = "http://127.0.0.1:9"\n',
      env: { SENTRY_DSN: 'https://key@errors.example/42' },
    });
    await booted.waitFor('tray');
    const events = order(booted);
    expect(events.indexOf('sentry-init')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('sentry-init')).toBeLessThan(events.indexOf('ready'));
    expect(events).not.toContain('error-box');
  }, 60_000);

  it('reaches its tray with no config file, and writes the defaults', async () => {
    const { booted, configPath } = await boot({});
    await booted.waitFor('tray');
    expect(await readFile(configPath, 'utf8')).toContain('api_base_url');
  }, 60_000);

  it('shows a broken config in a window with the error instead of quitting unseen', async () => {
    const { booted } = await boot({ configText: 'vram_threshold_gb = "lots"\n' });
    const problem = await booted.waitFor('problem');
    expect(String(problem.detail)).toContain('vram_threshold_gb');
    // The fake user clicks Quit (the default answer): a clean exit, no tray left.
    expect(await booted.exited).toBe(0);
    expect(order(booted)).not.toContain('tray');
  }, 60_000);

  it('stops cleanly on Quit: the tray goes and the process exits 0', async () => {
    const { booted } = await boot({ configText: 'api_base_url = "http://127.0.0.1:9"\n' });
    await booted.waitFor('tray');
    booted.quit();
    expect(await booted.exited).toBe(0);
    const events = order(booted);
    expect(events).toContain('tray-destroyed');
    expect(events.at(-1)).toBe('exit');
  }, 60_000);

  it('honours a quit during start-up: it exits 0 instead of starting on', async () => {
    const { booted } = await boot({ configText: 'api_base_url = "http://127.0.0.1:9"\n' });
    booted.quit();
    expect(await booted.exited).toBe(0);
    expect(order(booted).at(-1)).toBe('exit');
  }, 60_000);
});
