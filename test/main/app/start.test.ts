import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../../../src/core/config/types.js';
import { desktopLayout } from '../../../src/main/app/layout.js';
import type { DesktopApp } from '../../../src/main/app/start.js';
import type { StartOptions } from '../../../src/main/app/start.js';
import { startDesktopApp, TRAY_APP_HOLDER } from '../../../src/main/app/start.js';
import { writeRelaunchMarker } from '../../../src/main/app/relaunch.js';
import { readStatusFile } from '../../../src/core/runtime/status-file.js';
import type { StartupChoice } from '../../../src/main/ports.js';
import type { ElectronUpdater } from '../../../src/main/updater/electron-update-source.js';
import type { StudioSim } from '../../../src/studio-sim/index.js';
import { startStudioSim } from '../../../src/studio-sim/index.js';
import { configFor, eventually } from '../../helpers/harness.js';
import type { FakeDesktop } from '../fakes.js';
import { fakeDesktop } from '../fakes.js';

const LAYOUT = desktopLayout('file:///opt/studio-worker/dist/main/index.js');

let sim: StudioSim | undefined;
let app: DesktopApp | null = null;
let dir: string | undefined;
afterEach(async () => {
  if (app) await app.shell.quit.quit();
  app = null;
  await sim?.close();
  sim = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function launch(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    platform?: NodeJS.Platform;
    config?: Partial<WorkerConfig>;
    lock?: boolean;
    openedAtLogin?: boolean;
    configText?: string;
    /** Runs after the fake desktop is made, before the app starts. */
    prepare?: (desk: FakeDesktop, configPath: string) => void | Promise<void>;
    options?: StartOptions;
  } = {},
): Promise<{ desk: FakeDesktop; configPath: string }> {
  sim = await startStudioSim({ port: 0 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-desktop-'));
  const configPath = path.join(dir, 'config.toml');
  if (opts.configText === undefined) await configFor(sim, dir, opts.config);
  else await writeFile(configPath, opts.configText);
  const desk = fakeDesktop({
    platform: opts.platform ?? 'linux',
    argv: ['/opt/Studio Worker/studio-worker', '--config', configPath, ...(opts.args ?? [])],
    env: opts.env ?? {},
  });
  desk.app.lock = opts.lock ?? true;
  desk.app.openedAtLogin = opts.openedAtLogin ?? false;
  desk.app.paths.userData = dir;
  const starting = startDesktopApp(desk, LAYOUT, opts.options);
  await opts.prepare?.(desk, configPath);
  app = await starting;
  return { desk, configPath };
}

describe('startDesktopApp', () => {
  it('a second instance quits at once and touches nothing', async () => {
    const { desk } = await launch({ lock: false });
    expect(app).toBeNull();
    expect(desk.app.quitCalls).toBe(1);
    expect(desk.trays).toHaveLength(0);
    expect(desk.windows).toHaveLength(0);
  });

  it('starts the worker in the tray, opens the window and registers in the background', async () => {
    const { desk } = await launch();
    expect(app).not.toBeNull();
    expect(desk.trays).toHaveLength(1);
    expect(desk.window().visible).toBe(true);
    expect(desk.window().loaded).toEqual(['file:///opt/studio-worker/dist/renderer/index.html']);
    expect(desk.window().options.webPreferences.preload).toBe(
      '/opt/studio-worker/dist/preload/index.cjs',
    );
    await eventually(() => sim!.workers().length === 1, 'registered with the studio');
    await eventually(
      () => desk.tray().image === '/opt/studio-worker/assets/tray/idle.png',
      'the idle icon',
    );
  });

  it('gives Windows the app id that groups its notifications', async () => {
    const { desk } = await launch({ platform: 'win32', args: ['--hidden'] });
    expect(desk.app.appUserModelId).toBe('dev.studioworker.app');
  });

  it('stays in the tray with --hidden', async () => {
    const { desk } = await launch({ args: ['--hidden'] });
    expect(desk.windows).toHaveLength(0);
    expect(desk.trays).toHaveLength(1);
  });

  it('stays in the tray when macOS opened it at login, and hides the dock icon', async () => {
    const { desk } = await launch({ platform: 'darwin', openedAtLogin: true });
    expect(desk.app.dockHidden).toBe(true);
    expect(desk.windows).toHaveLength(0);
    await eventually(
      () => desk.tray().image === '/opt/studio-worker/assets/tray/idleTemplate.png',
      'a template icon',
    );
  });

  it('mirrors the worker’s log lines into the log file, at the configured level', async () => {
    const { desk } = await launch({ config: { log_level: 'warn' } });
    expect(desk.fileLog.level).toBe('warn');
    await eventually(
      () => desk.fileLog.lines.some((l) => /info \[startup\] Studio Worker/.test(l.line)),
      'the startup banner in the file',
    );
    await app!.store.update((c) => ({ ...c, log_level: 'error' }));
    await eventually(() => desk.fileLog.level === 'error', 'the level follows the config');
  });

  it('shows a malformed config in a window, opens the file on request, and starts once it is fixed', async () => {
    const { desk, configPath } = await launch({
      configText: 'vram_threshold_gb = "lots"\n',
      prepare: (d, file) => {
        const answers: StartupChoice[] = ['open-config', 'retry'];
        d.showStartupProblem = async (problem) => {
          d.problems.push(problem);
          const answer = answers.shift() ?? 'quit';
          // The user fixes the file in the editor "Open the settings file" opened.
          if (answer === 'retry') await writeFile(file, 'vram_threshold_gb = 6\n');
          return answer;
        };
      },
    });
    expect(desk.problems).toHaveLength(2);
    expect(desk.problems[0]?.message).toContain('vram_threshold_gb');
    expect(desk.problems[0]?.configPath).toBe(configPath);
    expect(desk.shell.opened).toEqual([configPath]);
    expect(desk.app.quitCalls).toBe(0);
    expect(app).not.toBeNull();
    expect(desk.trays).toHaveLength(1);
    expect(app!.store.current().vram_threshold_gb).toBe(6);
    expect(desk.fileLog.lines[0]?.line).toContain('cannot start');
  });

  it('quits when the user chooses Quit at the config error, with no tray left behind', async () => {
    const { desk } = await launch({ configText: 'vram_threshold_gb = "lots"\n' });
    expect(desk.problems).toHaveLength(1);
    expect(app).toBeNull();
    expect(desk.app.quitCalls).toBe(1);
    expect(desk.trays).toHaveLength(0);
  });

  it('shows an engine that cannot be built in the window instead of quitting', async () => {
    const { desk } = await launch({
      configText: 'engine = "quantum"\n',
      prepare: (d) => void d.problemAnswers.push('quit'),
    });
    expect(desk.problems[0]?.message).toContain('unknown engine: quantum');
    expect(desk.trays).toHaveLength(0);
  });

  it('refuses a second worker on the same config, naming the one that holds it', async () => {
    const { desk } = await launch({
      prepare: async (_d, file) => {
        // The test runner's parent: a live process that is not this one.
        await writeFile(
          path.join(path.dirname(file), 'worker.lock'),
          JSON.stringify({ pid: process.ppid, holder: 'studio-worker run', since: 'then' }),
        );
      },
    });
    expect(app).toBeNull();
    expect(desk.problems[0]?.message).toContain(
      `studio-worker run (pid ${process.ppid}, since then)`,
    );
    expect(desk.trays).toHaveLength(0);
  });

  it('holds the config’s lock while it runs and publishes the status file `studio-worker status` reads', async () => {
    const { configPath } = await launch({ args: ['--hidden'] });
    const lockText = await readFile(path.join(path.dirname(configPath), 'worker.lock'), 'utf8');
    expect(JSON.parse(lockText)).toMatchObject({ pid: process.pid, holder: TRAY_APP_HOLDER });
    await eventually(
      async () => (await readStatusFile(path.dirname(configPath)))?.running === true,
      'status',
    );
    await app!.shell.quit.quit();
    app = null;
    expect((await readStatusFile(path.dirname(configPath)))?.running).toBe(false);
    expect(existsSync(path.join(path.dirname(configPath), 'worker.lock'))).toBe(false);
  });

  it('a second launch during start-up shows the window once it exists', async () => {
    const { desk } = await launch({
      args: ['--hidden'],
      prepare: (d) => d.app.launchSecondInstance(),
    });
    expect(desk.window().visible).toBe(true);
  });

  it('brings the tray and the worker back, and says so, when the installer cannot run', async () => {
    // electron-updater's updater, as far as start-up and installing use it.
    const updater = {
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowPrerelease: false,
      allowDowngrade: false,
      channel: null,
      currentVersion: { version: '1.0.0' },
      checkForUpdates: () => Promise.resolve(null),
      downloadUpdate: () => Promise.resolve([]),
      quitAndInstall: () => {
        throw new Error('no installer for this kind of package');
      },
    } as unknown as ElectronUpdater;
    let restarted: DesktopApp | null = null;
    const { desk } = await launch({
      args: ['--hidden'],
      options: { createUpdater: () => updater, onRestarted: (next) => (restarted = next) },
    });
    await app!.shell.installUpdate('9.9.9');
    await eventually(() => restarted !== null, 'the app came back');
    expect(desk.trays).toHaveLength(2);
    expect(desk.trays[0]?.destroyed).toBe(true);
    expect(desk.trays[1]?.destroyed).toBe(false);
    expect(desk.app.quitCalls).toBe(0);
    expect(restarted!.worker.observers.snapshot().stopping).toBe(false);
    expect(desk.notifier.shown.map((n) => n.title)).toEqual(['Update failed']);
    expect(desk.notifier.shown[0]?.body).toContain('no installer for this kind of package');
    // A later start is not mistaken for the update's relaunch.
    expect(existsSync(path.join(dir!, 'relaunch-hidden'))).toBe(false);
    app = restarted;
  });

  it('stays in the tray when relaunched by an update', async () => {
    const { desk } = await launch({
      prepare: async () => {
        await writeRelaunchMarker(dir!);
      },
    });
    expect(desk.windows).toHaveLength(0);
    expect(desk.trays).toHaveLength(1);
  });

  it('initialises error reports before Electron is ready, with the DSN from the config file', async () => {
    const { desk } = await launch({
      config: { sentry_dsn: 'https://key@errors.example/7' },
      args: ['--hidden'],
    });
    expect(desk.sentry.inits.map((i) => i.dsn)).toEqual(['https://key@errors.example/7']);
  });

  it('reports errors only when a DSN is configured, scrubbed of the worker’s secrets', async () => {
    const off = await launch();
    expect(off.desk.sentry.inits).toEqual([]);
    await app!.shell.quit.quit();
    app = null;
    await sim?.close();

    const { desk } = await launch({ env: { SENTRY_DSN: 'https://key@errors.example/42' } });
    expect(desk.sentry.inits).toHaveLength(1);
    const init = desk.sentry.inits[0]!;
    expect(init).toMatchObject({
      dsn: 'https://key@errors.example/42',
      release: 'studio-worker@1.0.0',
    });
    await eventually(() => app!.store.current().auth_token !== null, 'registered');
    const token = app!.store.current().auth_token!;
    const event = { message: `request failed with Bearer ${token}`, extra: { token } };
    expect(JSON.stringify(init.beforeSend(event))).not.toContain(token);
    await app!.shell.quit.quit();
    expect(desk.sentry.flushes).toBe(1);
    app = null;
  });

  it('uses the config file --config names, and tray changes are written there', async () => {
    const { desk, configPath } = await launch({ config: { vram_threshold_gb: 6 } });
    expect(app!.store.path).toBe(configPath);
    expect(app!.worker.observers.snapshot().settings.vramThresholdGb).toBe(6);
    desk.tray().click('Enabled');
    await eventually(
      async () => /^auto_enabled = false$/m.test(await readFile(configPath, 'utf8')),
      'auto_enabled = false in the file',
    );
  });
});
