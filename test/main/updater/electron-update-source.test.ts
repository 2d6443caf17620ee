// The real electron-updater (AppImageUpdater) against a release feed served by the local studio:
// the check, the verified download, the worker's decision, and the install after draining.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppImageUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerConfig } from '../../../src/core/config/types.js';
import type { Worker } from '../../../src/core/runtime/worker.js';
import { composeDesktopWorker } from '../../../src/main/app/compose.js';
import type { DesktopShell } from '../../../src/main/app/desktop-shell.js';
import { createDesktopShell } from '../../../src/main/app/desktop-shell.js';
import type { DesktopUpdateSource } from '../../../src/main/updater/electron-update-source.js';
import { createElectronUpdateSource } from '../../../src/main/updater/electron-update-source.js';
import type { StudioSim } from '../../../src/studio-sim/index.js';
import { startStudioSim } from '../../../src/studio-sim/index.js';
import { configFor, eventually } from '../../helpers/harness.js';
import type { GatedEngine } from '../engines.js';
import { gatedEngine, imageJob } from '../engines.js';
import type { FakeDesktop } from '../fakes.js';
import { fakeDesktop } from '../fakes.js';
import { feedUpdater, publishRelease } from './release-feed.js';
import type { Clock } from '../../../src/core/runtime/clock.js';
import { manualClock } from '../../helpers/manual-clock.js';

interface Setup {
  sim: StudioSim;
  dir: string;
  updatesDir: string;
  updater: AppImageUpdater;
  source: DesktopUpdateSource;
  installs: ReturnType<typeof vi.fn>;
  worker: Worker;
  shell: DesktopShell;
  desk: FakeDesktop;
  gated: GatedEngine;
}

let s: Setup | undefined;
afterEach(async () => {
  if (s) {
    s.shell.tray.dispose();
    s.gated.release();
    await s.worker.stop({ graceMs: 2_000 });
    await s.sim.close();
    await rm(s.dir, { recursive: true, force: true });
  }
  s = undefined;
  vi.unstubAllEnvs();
});

async function setup(opts: { config?: Partial<WorkerConfig>; clock?: Clock } = {}): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-updater-'));
  const updatesDir = path.join(dir, 'updates');
  await mkdir(updatesDir);
  const sim = await startStudioSim({ port: 0, updatesDir });
  vi.stubEnv('APPIMAGE', path.join(dir, 'StudioWorker-1.0.0.AppImage'));
  const updater = await feedUpdater({
    dir,
    feedUrl: `${sim.url}/updates`,
    currentVersion: '1.0.0',
  });
  // The installer would replace this very process: record the call instead.
  const installs = vi.fn();
  updater.quitAndInstall = installs;
  // The loop's own checks stay off; the tests check on demand (as the tray's menu does).
  const store = await configFor(sim, dir, { auto_update_enabled: false, ...opts.config });
  const source = createElectronUpdateSource({
    updater,
    prerelease: () => store.current().auto_update_prerelease,
  });
  const gated = gatedEngine();
  const late: { shell?: DesktopShell } = {};
  const worker = composeDesktopWorker({
    store,
    agentVersion: '1.0.0',
    logSinks: [],
    updateSource: source,
    installUpdate: (version) => late.shell?.installUpdate(version) ?? Promise.resolve(),
    engine: gated.engine,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await worker.register();
  await worker.start();
  const desk = fakeDesktop({ ready: 'now' });
  const shell = createDesktopShell({
    ports: desk,
    worker,
    renderer: { kind: 'file', url: 'file:///opt/studio-worker/dist/renderer/index.html' },
    preloadPath: '/opt/studio-worker/dist/preload/index.cjs',
    trayIconsDir: '/opt/studio-worker/assets/tray',
    logsDir: desk.fileLog.dir,
    updateSource: source,
    showWindow: false,
    flushErrorReports: async () => undefined,
  });
  late.shell = shell;
  s = { sim, dir, updatesDir, updater, source, installs, worker, shell, desk, gated };
  return s;
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');

describe('the electron-updater update source', () => {
  it('leaves downloading and installing to the worker: no auto-download, no install on quit', async () => {
    const { updater, updatesDir, source, dir } = await setup();
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    await publishRelease(updatesDir, { version: '1.1.0' });
    expect(await source.check()).toEqual({ kind: 'available', version: '1.1.0' });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    const cache = await readdir(path.join(dir, 'cache')).catch(() => []);
    expect(cache).toEqual([]);
  });

  it('says up to date when the feed offers the running version', async () => {
    const { worker, updatesDir, installs } = await setup();
    await publishRelease(updatesDir, { version: '1.0.0' });
    expect(await worker.checkForUpdates()).toEqual({ kind: 'up-to-date', currentVersion: '1.0.0' });
    expect(worker.observers.snapshot().update.kind).toBe('up-to-date');
    expect(installs).not.toHaveBeenCalled();
  });

  it('downloads a newer release, verifies its sha512, and installs it once drained', async () => {
    const { worker, updatesDir, installs, dir, desk } = await setup();
    const bytes = await publishRelease(updatesDir, { version: '1.1.0' });
    expect(await worker.checkForUpdates()).toEqual({ kind: 'updated', version: '1.1.0' });
    const pending = path.join(dir, 'cache', 'studio-worker-updater', 'pending');
    const downloaded = await readFile(path.join(pending, 'StudioWorker-1.1.0.AppImage'));
    expect(sha512(downloaded)).toBe(sha512(bytes));
    await eventually(() => installs.mock.calls.length === 1, 'quitAndInstall');
    // Silent, and the app starts again after installing.
    expect(installs).toHaveBeenCalledWith(true, true);
    const snapshot = worker.observers.snapshot();
    expect(snapshot.update).toEqual({ kind: 'ready', version: '1.1.0' });
    expect(snapshot.stopping).toBe(true);
    // The installer quits the app; main does not race it.
    expect(desk.app.quitCalls).toBe(0);
  });

  it('refuses a download whose checksum does not match: update-error, nothing installed', async () => {
    const clock = manualClock();
    const { worker, updatesDir, installs } = await setup({ clock });
    await publishRelease(updatesDir, { version: '1.1.0', wrongSha512: true });
    const decision = await worker.checkForUpdates();
    expect(decision).toMatchObject({
      kind: 'update-error',
      version: '1.1.0',
      error: expect.stringContaining('sha512 checksum mismatch'),
    });
    expect(worker.observers.snapshot().update.kind).toBe('error');
    // Five seconds of the worker's time (a hundred claim intervals) later nothing has been
    // installed or stopped.
    await clock.advance(5_000);
    expect(installs).not.toHaveBeenCalled();
    expect(worker.observers.snapshot().stopping).toBe(false);
  });

  it('never interrupts a running job: installs only after the job has finished', async () => {
    const clock = manualClock();
    const { worker, updatesDir, installs, updater, sim, gated, desk } = await setup({ clock });
    await publishRelease(updatesDir, { version: '1.1.0' });
    // A job arrives while the update downloads.
    const download = updater.downloadUpdate.bind(updater);
    let jobId = '';
    updater.downloadUpdate = async (token) => {
      jobId = sim.enqueue(imageJob());
      await eventually(async () => {
        await clock.advance(50);
        return worker.observers.currentJob !== null;
      }, 'the job running');
      return download(token);
    };
    expect(await worker.checkForUpdates()).toEqual({ kind: 'updated', version: '1.1.0' });
    await eventually(() => worker.observers.snapshot().draining, 'draining');
    // However long the job runs (a hundred claim intervals here), nothing installs.
    await clock.advance(5_000);
    expect(installs).not.toHaveBeenCalled();
    expect(sim.job(jobId)?.state).not.toBe('completed');
    // Meanwhile the tray says an update is ready.
    await eventually(() => desk.tray().has('Restart to update (1.1.0)'), 'Restart to update');
    gated.release();
    await eventually(async () => {
      await clock.advance(50);
      return installs.mock.calls.length === 1;
    }, 'quitAndInstall after the job');
    expect(sim.job(jobId)?.state).toBe('completed');
  });

  it('says what failed when the feed cannot be read', async () => {
    const { worker, installs } = await setup();
    const decision = await worker.checkForUpdates();
    expect(decision).toMatchObject({
      kind: 'check-error',
      error: expect.stringMatching(/^Cannot find channel/),
    });
    expect(decision?.kind === 'check-error' && decision.error.includes('\n')).toBe(false);
    expect(installs).not.toHaveBeenCalled();
  });

  it('reads the beta channel when prereleases are wanted, and only then', async () => {
    const { source, updatesDir, worker } = await setup();
    await publishRelease(updatesDir, { version: '1.1.0' });
    await publishRelease(updatesDir, { version: '1.2.0-beta.1', channel: 'beta' });
    expect(await source.check()).toEqual({ kind: 'available', version: '1.1.0' });
    await worker.configStore.update((c) => ({ ...c, auto_update_prerelease: true }));
    expect(await source.check()).toEqual({ kind: 'available', version: '1.2.0-beta.1' });
  });

  it('falls back to stable releases when a feed has no beta channel', async () => {
    const { source, updatesDir } = await setup({ config: { auto_update_prerelease: true } });
    await publishRelease(updatesDir, { version: '1.1.0' });
    expect(await source.check()).toEqual({ kind: 'available', version: '1.1.0' });
  });

  it('Restart to update in the tray stops the worker and installs the downloaded update', async () => {
    const { worker, updatesDir, installs, updater, sim, gated, desk } = await setup();
    await publishRelease(updatesDir, { version: '1.1.0' });
    const download = updater.downloadUpdate.bind(updater);
    updater.downloadUpdate = async (token) => {
      sim.enqueue(imageJob());
      await eventually(() => worker.observers.currentJob !== null, 'the job running');
      return download(token);
    };
    await worker.checkForUpdates();
    await eventually(() => desk.tray().has('Restart to update (1.1.0)'), 'Restart to update');
    desk.tray().click('Restart to update (1.1.0)');
    await eventually(() => worker.observers.snapshot().stopping, 'stopping for the install');
    expect(installs).not.toHaveBeenCalled();
    gated.release();
    await eventually(() => installs.mock.calls.length === 1, 'quitAndInstall');
  });
});
