import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerConfig } from '../../../src/core/config/types.js';
import type { DesktopShell } from '../../../src/main/app/desktop-shell.js';
import { createDesktopShell } from '../../../src/main/app/desktop-shell.js';
import type { Harness } from '../../helpers/harness.js';
import { eventually, startHarness } from '../../helpers/harness.js';
import type { Clock } from '../../../src/core/runtime/clock.js';
import { manualClock } from '../../helpers/manual-clock.js';
import type { GatedEngine } from '../engines.js';
import { gatedEngine, imageJob } from '../engines.js';
import type { FakeDesktop } from '../fakes.js';
import { fakeDesktop } from '../fakes.js';

const PAGE = 'file:///opt/studio-worker/dist/renderer/index.html';
const ICONS = '/opt/studio-worker/assets/tray';

let h: Harness | undefined;
let current: { shell: DesktopShell } | undefined;
const tempDirs: string[] = [];
afterEach(async () => {
  current?.shell.tray.dispose();
  current = undefined;
  await h?.close();
  h = undefined;
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Setup {
  harness: Harness;
  desk: FakeDesktop;
  shell: DesktopShell;
  gated: GatedEngine;
  flushes: () => number;
}

async function setup(
  opts: {
    config?: Partial<WorkerConfig>;
    platform?: NodeJS.Platform;
    env?: Record<string, string>;
    packaged?: boolean;
    showWindow?: boolean;
    failPrompt?: string;
    clock?: Clock;
  } = {},
): Promise<Setup> {
  const gated = gatedEngine(opts.failPrompt ? { failPrompt: opts.failPrompt } : {});
  h = await startHarness({
    engine: gated.engine,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const desk = fakeDesktop({
    platform: opts.platform ?? 'linux',
    env: opts.env ?? {},
    ready: 'now',
  });
  desk.app.isPackaged = opts.packaged ?? false;
  let flushes = 0;
  const shell = createDesktopShell({
    ports: desk,
    worker: h.worker,
    renderer: { kind: 'file', url: PAGE },
    preloadPath: '/opt/studio-worker/dist/preload/index.cjs',
    trayIconsDir: ICONS,
    logsDir: desk.fileLog.dir,
    showWindow: opts.showWindow ?? false,
    flushErrorReports: async () => {
      flushes += 1;
    },
  });
  current = { shell };
  return { harness: h, desk, shell, gated, flushes: () => flushes };
}

const configText = (harness: Harness) => readFile(harness.store.path, 'utf8');

describe('the tray follows the worker', () => {
  it('shows the state’s icon, tooltip and menu, and rebuilds them when the state changes', async () => {
    const { harness, desk } = await setup();
    const tray = desk.tray();
    await eventually(() => tray.image === `${ICONS}/idle.png`, 'the idle icon');
    expect(tray.tooltip).toBe('Studio Worker — Idle: waiting for jobs');
    expect(tray.item('Enabled')).toMatchObject({ checked: true });
    // Another writer (the CLI) disables claiming: the tray follows the config file.
    await harness.store.update((c) => ({ ...c, auto_enabled: false }));
    await eventually(() => tray.image === `${ICONS}/paused.png`, 'the paused icon');
    expect(tray.tooltip).toBe('Studio Worker — Paused: you paused it');
    expect(tray.item('Enabled')).toMatchObject({ checked: false });
    expect(tray.item(/^Paused: you paused it$/)).toMatchObject({ enabled: false });
  });

  it('shows the working icon and the job’s kind while a job runs', async () => {
    const { harness, desk, gated } = await setup();
    harness.sim.enqueue(imageJob());
    const tray = desk.tray();
    await eventually(() => tray.image === `${ICONS}/working.png`, 'the working icon');
    expect(tray.tooltip).toMatch(/^Studio Worker — Working: image job \(\d+s\)$/);
    gated.release();
    await eventually(() => tray.image === `${ICONS}/idle.png`, 'idle again');
  });

  it('uses template images on macOS and ICO files on Windows', async () => {
    const mac = await setup({ platform: 'darwin' });
    await eventually(() => mac.desk.tray().image === `${ICONS}/idleTemplate.png`, 'a template');
    current?.shell.tray.dispose();
    await h?.close();
    const win = await setup({ platform: 'win32' });
    await eventually(() => win.desk.tray().image === `${ICONS}/idle.ico`, 'an ICO');
  });
});

describe('tray menu actions', () => {
  it('Enabled writes auto_enabled to the config file and the worker stops claiming', async () => {
    const { harness, desk } = await setup();
    desk.tray().click('Enabled');
    await eventually(() => harness.store.current().auto_enabled === false, 'auto_enabled false');
    expect(await configText(harness)).toMatch(/^auto_enabled = false$/m);
    await eventually(() => !harness.worker.observers.snapshot().enabled, 'the snapshot follows');
  });

  it('a VRAM threshold writes vram_threshold_gb to the config file', async () => {
    const { harness, desk } = await setup();
    desk.tray().click(/^VRAM threshold/, '8 GB');
    await eventually(() => harness.store.current().vram_threshold_gb === 8, 'threshold 8');
    expect(await configText(harness)).toMatch(/^vram_threshold_gb = 8$/m);
    await eventually(() => desk.tray().has(/^VRAM threshold: 8 GB/), 'the menu shows 8 GB');
  });

  it('Custom… and Open Studio Worker show the window', async () => {
    const { desk } = await setup();
    desk.tray().click(/^VRAM threshold/, 'Custom…');
    await eventually(() => desk.windows.length === 1 && desk.window().visible, 'the window');
    desk.window().hide();
    desk.tray().click('Open Studio Worker');
    await eventually(() => desk.window().visible, 'the window again');
    expect(desk.windows).toHaveLength(1);
  });

  it('Snooze for 1 hour pauses claiming, and Resume now ends the snooze', async () => {
    const { harness, desk } = await setup();
    desk.tray().click('Snooze for 1 hour');
    await eventually(() => harness.worker.observers.snapshot().snoozedUntil !== null, 'snoozed');
    const until = Date.parse(harness.worker.observers.snapshot().snoozedUntil ?? '');
    expect(until - Date.now()).toBeGreaterThan(59 * 60_000);
    await eventually(() => desk.tray().image === `${ICONS}/paused.png`, 'the paused icon');
    desk.tray().click('Resume now (end snooze)');
    await eventually(() => harness.worker.observers.snapshot().snoozedUntil === null, 'resumed');
  });

  it('Check for updates without an update source says why in the log', async () => {
    const { harness, desk } = await setup();
    desk.tray().click('Check for updates');
    await eventually(
      () =>
        harness.logs.some(
          (e) => e.category === 'tray' && e.message.includes('no update source is configured'),
        ),
      'the reason in the log',
    );
  });

  it('Open logs folder opens the log folder, and a failure is logged', async () => {
    const { harness, desk } = await setup();
    desk.tray().click('Open logs folder');
    await eventually(() => desk.shell.opened.length === 1, 'the folder opened');
    expect(desk.shell.opened).toEqual([desk.fileLog.dir]);
    desk.shell.failure = 'no file manager';
    desk.tray().click('Open logs folder');
    await eventually(
      () => harness.logs.some((e) => e.message.includes('no file manager')),
      'the failure logged',
    );
  });
});

describe('quitting', () => {
  it('Quit stops the worker, flushes error reports, removes the tray, then quits', async () => {
    const { harness, desk, flushes } = await setup();
    desk.tray().click('Quit');
    await eventually(() => desk.app.quitCalls === 1, 'app.quit');
    expect(harness.worker.observers.snapshot().stopping).toBe(true);
    expect(harness.logs.some((e) => e.message === 'stopped')).toBe(true);
    expect(flushes()).toBe(1);
    expect(desk.tray().destroyed).toBe(true);
    // Now the app may exit: the windows close and before-quit is not held back again.
    expect(desk.app.emitBeforeQuit().prevented).toBe(false);
  });

  it('leaves no listener behind once stopped: power, IPC and snapshot subscribers all removed', async () => {
    const { harness, desk } = await setup();
    expect(desk.powerMonitor.listenerCount()).toBe(2);
    expect(harness.worker.observers.listenerCount).toBeGreaterThan(0);
    desk.tray().click('Quit');
    await eventually(() => desk.app.quitCalls === 1, 'app.quit');
    expect(desk.powerMonitor.listenerCount()).toBe(0);
    expect(desk.ipcMain.handlers.size).toBe(0);
    expect(desk.ipcMain.listeners.size).toBe(0);
    expect(harness.worker.observers.listenerCount).toBe(0);
  });

  it('holds an OS quit (before-quit) back until the worker has stopped', async () => {
    const { harness, desk } = await setup();
    expect(desk.app.emitBeforeQuit().prevented).toBe(true);
    await eventually(() => desk.app.quitCalls === 1, 'app.quit after stopping');
    expect(harness.worker.observers.snapshot().stopping).toBe(true);
  });

  it('gives a running job its grace period: the app quits only after the job finished', async () => {
    const clock = manualClock();
    const { harness, desk, gated } = await setup({ clock });
    const jobId = harness.sim.enqueue(imageJob());
    await eventually(async () => {
      await clock.advance(50);
      return harness.worker.observers.currentJob !== null;
    }, 'the job running');
    desk.tray().click('Quit');
    await eventually(() => harness.worker.observers.snapshot().stopping, 'stopping');
    // Up to the last millisecond of the grace period the job runs on and the app waits.
    await clock.advance(harness.store.current().shutdown_grace_secs * 1000 - 1);
    expect(desk.app.quitCalls).toBe(0);
    expect(harness.sim.job(jobId)?.state).not.toBe('completed');
    gated.release();
    await eventually(() => desk.app.quitCalls === 1, 'app.quit after the job');
    expect(harness.sim.job(jobId)?.state).toBe('completed');
  });

  it('stops a job that outlasts shutdown_grace_secs, and still quits', async () => {
    const { harness, desk } = await setup({ config: { shutdown_grace_secs: 0.2 } });
    const jobId = harness.sim.enqueue(imageJob());
    await eventually(() => harness.worker.observers.currentJob !== null, 'the job running');
    desk.tray().click('Quit');
    await eventually(() => desk.app.quitCalls === 1, 'app.quit after the grace period');
    expect(harness.sim.job(jobId)?.state).not.toBe('completed');
    expect(harness.logs.some((e) => e.message.includes('grace period over'))).toBe(true);
  });

  it('Quit after current job lets the job finish, claims no other, then quits', async () => {
    const { harness, desk, gated } = await setup();
    const first = harness.sim.enqueue(imageJob('first'));
    await eventually(() => harness.worker.observers.currentJob !== null, 'the first job running');
    const second = harness.sim.enqueue(imageJob('second'));
    desk.tray().click('Quit after current job');
    await eventually(
      () => desk.tray().has('Quitting after the current job…'),
      'the menu shows the pending quit',
    );
    expect(desk.app.quitCalls).toBe(0);
    gated.release();
    await eventually(() => desk.app.quitCalls === 1, 'app.quit after the job');
    expect(harness.sim.job(first)?.state).toBe('completed');
    expect(harness.sim.job(second)?.state).toBe('queued');
    expect(gated.started()).toBe(1);
    // The tray was removed before exiting, and nothing touched it afterwards.
    expect(desk.tray().destroyed).toBe(true);
  });

  it('Quit after current job with no job running quits at once', async () => {
    const { desk } = await setup();
    desk.tray().click('Quit after current job');
    await eventually(() => desk.app.quitCalls === 1, 'app.quit');
  });
});

describe('the app around the tray', () => {
  it('a logout or shutdown stops claiming and is never held back', async () => {
    const { desk, harness } = await setup();
    desk.app.endSession();
    expect(desk.app.emitBeforeQuit().prevented).toBe(false);
    await eventually(() => harness.worker.observers.snapshot().stopping, 'the worker stopping');
  });

  it('closing the window hides it and the app keeps running', async () => {
    const { harness, desk } = await setup({ showWindow: true });
    expect(desk.window().visible).toBe(true);
    expect(desk.window().close()).toBe(false);
    expect(desk.window().visible).toBe(false);
    for (const l of desk.app.windowAllClosed) l();
    expect(desk.app.quitCalls).toBe(0);
    expect(harness.worker.observers.snapshot().stopping).toBe(false);
  });

  it('opens no window when started hidden (a login launch)', async () => {
    const { desk } = await setup({ showWindow: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(desk.windows).toHaveLength(0);
    expect(desk.trays).toHaveLength(1);
  });

  it('on Windows a click on the tray icon opens the window', async () => {
    const { desk } = await setup({ platform: 'win32' });
    desk.tray().clickIcon();
    expect(desk.window().visible).toBe(true);
  });

  it('holds claiming while the system sleeps and lets it go on wake', async () => {
    const { harness, desk } = await setup();
    desk.powerMonitor.suspend();
    expect(harness.worker.observers.snapshot().pausedReason).toBe('system is going to sleep');
    desk.powerMonitor.resume();
    expect(harness.worker.observers.snapshot().pausedReason).toBeNull();
  });
});

describe('notifications', () => {
  it('are off by default', async () => {
    const { harness, desk } = await setup({ failPrompt: 'boom' });
    harness.sim.enqueue(imageJob('boom'));
    await eventually(() => harness.worker.observers.snapshot().counters.failed >= 1, 'a failure');
    expect(desk.notifier.shown).toEqual([]);
  });

  it('when turned on, tell about a failed job', async () => {
    const { harness, desk } = await setup({ failPrompt: 'boom', config: { notifications: true } });
    harness.sim.enqueue(imageJob('boom'));
    await eventually(() => desk.notifier.shown.length > 0, 'a notification');
    expect(desk.notifier.shown[0]).toMatchObject({
      title: 'A image job failed',
      body: expect.stringContaining('the GPU ran out of memory'),
    });
  });
});

describe('start at login', () => {
  it('is left alone in a development build', async () => {
    const { harness, desk } = await setup({ packaged: false, platform: 'win32' });
    await eventually(
      () => harness.logs.some((e) => e.message.includes('not applied to a development build')),
      'the log line',
    );
    expect(desk.app.loginItems).toEqual([]);
  });

  it('follows auto_start through login items on Windows and macOS', async () => {
    const { harness, desk } = await setup({ packaged: true, platform: 'win32' });
    await eventually(() => desk.app.loginItems.length === 1, 'a login item');
    expect(desk.app.loginItems[0]).toEqual({ openAtLogin: true, args: ['--hidden'] });
    await harness.store.update((c) => ({ ...c, auto_start: false }));
    await eventually(() => desk.app.loginItems.length === 2, 'the login item changed');
    expect(desk.app.loginItems[1]).toEqual({ openAtLogin: false, args: ['--hidden'] });
  });

  it('writes and removes the XDG autostart entry on Linux as auto_start changes', async () => {
    const xdg = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-xdg-'));
    tempDirs.push(xdg);
    const entry = path.join(xdg, 'autostart', 'studio-worker.desktop');
    const { harness } = await setup({
      packaged: true,
      platform: 'linux',
      env: { XDG_CONFIG_HOME: xdg },
    });
    await eventually(async () => (await readFile(entry, 'utf8').catch(() => '')) !== '', 'entry');
    expect(await readFile(entry, 'utf8')).toContain(
      'Exec="/opt/Studio Worker/studio-worker" --hidden',
    );
    await harness.store.update((c) => ({ ...c, auto_start: false }));
    await eventually(
      async () => (await readFile(entry, 'utf8').catch(() => null)) === null,
      'removed',
    );
  });
});

describe('engine commands on the desktop', () => {
  it("picks a GGUF file through the desktop's file dialog, filtered to .gguf", async () => {
    const { desk, shell } = await setup();
    const calls: unknown[] = [];
    desk.shell.pickFile = (filter) => {
      calls.push(filter);
      return Promise.resolve('/home/me/models/tiny.gguf');
    };
    expect(await shell.commandHost.pickModelFile?.()).toBe('/home/me/models/tiny.gguf');
    expect(calls).toEqual([{ name: 'GGUF model', extensions: ['gguf'] }]);
  });

  it('takes detection ports from STUDIO_WORKER_DETECT_PORTS, and ignores a bad value', async () => {
    const good = await setup({ env: { STUDIO_WORKER_DETECT_PORTS: 'comfyui=8189,vllm=9000' } });
    expect(good.shell.commandHost.detectPorts).toEqual({ comfyui: 8189, vllm: 9000 });
    good.shell.tray.dispose();
    await h?.close();
    const bad = await setup({ env: { STUDIO_WORKER_DETECT_PORTS: 'comfyui=0' } });
    expect(bad.shell.commandHost.detectPorts).toEqual({});
  });
});
