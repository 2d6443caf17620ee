import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FOREIGN_SENDER_ERROR, serveBridge } from '../../../src/main/ipc/bridge-host.js';
import { createSettingsWindow } from '../../../src/main/window/settings-window.js';
import { IPC_CHANNELS } from '../../../src/shared/bridge.js';
import type { Harness } from '../../helpers/harness.js';
import { startHarness } from '../../helpers/harness.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { SNAPSHOT_INTERVAL_MS } from '../../../src/core/runtime/coalescer.js';
import { FakeIpcMain, windowFactory } from '../fakes.js';

const PAGE = 'file:///opt/studio-worker/resources/app.asar/dist/renderer/index.html';

let h: Harness | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  stop = undefined;
  await h?.close();
  h = undefined;
});

async function setup(opts: { clock?: Parameters<typeof serveBridge>[0]['clock'] } = {}) {
  h = await startHarness();
  const ipcMain = new FakeIpcMain();
  const { windows, create } = windowFactory();
  const window = createSettingsWindow({
    createWindow: create,
    renderer: { kind: 'file', url: PAGE },
    preloadPath: '/app/dist/preload/index.cjs',
    isQuitting: () => false,
    openExternal: () => undefined,
    onLoadError: () => undefined,
  });
  window.show();
  const win = windows[0]!;
  stop = serveBridge({
    ipcMain,
    worker: h.worker,
    host: {},
    window,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const invoke = (payload: unknown, event = win.webContents.event(`${PAGE}#/settings`)) =>
    ipcMain.invoke(IPC_CHANNELS.command, event, payload);
  return { harness: h, ipcMain, win, invoke };
}

describe('the window bridge in main', () => {
  it('applies a valid command from our window and writes the config file', async () => {
    const { harness, invoke } = await setup();
    expect(await invoke({ type: 'setEnabled', enabled: false })).toEqual({ ok: true });
    expect(harness.store.current().auto_enabled).toBe(false);
    expect(await readFile(harness.store.path, 'utf8')).toMatch(/^auto_enabled = false$/m);
  });

  it('rejects malformed commands with the reason and changes nothing', async () => {
    const { harness, invoke } = await setup();
    const before = await readFile(harness.store.path, 'utf8');
    const malformed: unknown[] = [
      null,
      'setEnabled',
      { type: 'formatDisk' },
      { type: 'setEnabled', enabled: 'no' },
      { type: 'setEnabled', enabled: false, extra: true },
      { type: 'setThreshold', gb: Number.POSITIVE_INFINITY },
      { type: 'snooze', minutes: -5 },
      { type: 'saveSettings', settings: { bootstrap_token: 'x' } },
    ];
    for (const payload of malformed) {
      const result = await invoke(payload);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid command/) });
    }
    expect(await readFile(harness.store.path, 'utf8')).toBe(before);
    expect(harness.logs.some((e) => e.category === 'ipc' && e.level === 'warn')).toBe(true);
  });

  it('rejects commands from other web contents, other pages and destroyed frames', async () => {
    const { harness, win, invoke } = await setup();
    const command = { type: 'setEnabled', enabled: false };
    const foreign = [
      { sender: { id: win.webContents.id + 1000 }, senderFrame: { url: PAGE } },
      win.webContents.event('https://evil.example/index.html'),
      win.webContents.event('file:///tmp/other/index.html'),
      { sender: { id: win.webContents.id }, senderFrame: null },
    ];
    for (const event of foreign) {
      expect(await invoke(command, event)).toEqual({ ok: false, error: FOREIGN_SENDER_ERROR });
    }
    expect(harness.store.current().auto_enabled).toBe(true);
  });

  it('answers the page’s ready message with the current snapshot at once, only for our page', async () => {
    const { harness, ipcMain, win } = await setup();
    const sentBefore = win.webContents.sent.length;
    ipcMain.emit(IPC_CHANNELS.ready, win.webContents.event('https://evil.example/'));
    expect(win.webContents.sent).toHaveLength(sentBefore);
    ipcMain.emit(IPC_CHANNELS.ready, win.webContents.event(PAGE));
    expect(win.webContents.sent.at(-1)).toEqual({
      channel: IPC_CHANNELS.snapshot,
      payload: harness.worker.observers.snapshot(),
    });
  });

  it('pushes snapshots coalesced: a burst of changes reaches the window once, as the latest', async () => {
    const clock = manualClock(1_000);
    const { harness, win } = await setup({ clock });
    // Let the first change through, then a burst within the interval.
    harness.worker.log.info('test', 'first');
    const afterFirst = win.webContents.sent.length;
    for (let i = 0; i < 50; i += 1) harness.worker.log.info('test', `burst ${i}`);
    expect(win.webContents.sent.length).toBe(afterFirst);
    await clock.advance(SNAPSHOT_INTERVAL_MS);
    const snapshots = win.webContents.sent.filter((m) => m.channel === IPC_CHANNELS.snapshot);
    expect(snapshots.length).toBe(afterFirst + 1);
    expect(snapshots.at(-1)?.payload).toBe(harness.worker.observers.snapshot());
  });

  it('sends nothing to a hidden window, and the latest snapshot once it is shown again', async () => {
    const clock = manualClock(1_000);
    const { harness, win } = await setup({ clock });
    expect(win.close()).toBe(false); // closing hides it: the app lives on in the tray
    expect(win.visible).toBe(false);
    const before = win.webContents.sent.length;
    for (let i = 0; i < 20; i += 1) {
      harness.worker.log.info('test', `while hidden ${i}`);
      await clock.advance(SNAPSHOT_INTERVAL_MS);
    }
    expect(win.webContents.sent.length).toBe(before);
    win.show();
    expect(win.webContents.sent.length).toBe(before + 1);
    expect(win.webContents.sent.at(-1)?.payload).toBe(harness.worker.observers.snapshot());
  });
});
