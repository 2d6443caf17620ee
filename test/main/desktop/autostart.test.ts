import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appExecutable,
  applyAutoStart,
  autostartEntry,
  desktopExecLine,
  syncXdgAutostart,
  xdgAutostartDir,
} from '../../../src/main/desktop/autostart.js';
import { FakeApp } from '../fakes.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function temp() {
  const d = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-autostart-'));
  dirs.push(d);
  return d;
}

describe('the XDG autostart entry', () => {
  it('is written when enabled, left alone when unchanged, and removed when disabled', async () => {
    const dir = path.join(await temp(), 'autostart');
    const file = path.join(dir, 'studio-worker.desktop');
    const opts = { dir, executable: '/opt/Studio Worker/studio-worker' };
    expect(await syncXdgAutostart({ ...opts, enabled: true })).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(autostartEntry(opts.executable));
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await syncXdgAutostart({ ...opts, enabled: true })).toBe('unchanged');
    expect(await syncXdgAutostart({ ...opts, enabled: false })).toBe('removed');
    await expect(stat(file)).rejects.toThrow();
    expect(await syncXdgAutostart({ ...opts, enabled: false })).toBe('unchanged');
  });

  it('starts the app hidden, with its path quoted as the Desktop Entry spec asks', () => {
    const entry = autostartEntry('/opt/Studio Worker/studio-worker');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(entry).toContain('Exec="/opt/Studio Worker/studio-worker" --hidden\n');
    expect(desktopExecLine(['/usr/bin/sw'])).toBe('/usr/bin/sw');
    expect(desktopExecLine(['/home/a$b/100%/sw'])).toBe('"/home/a\\\\$b/100%%/sw"');
    expect(desktopExecLine(['/x/"q"/sw'])).toBe('"/x/\\\\"q\\\\"/sw"');
  });

  it('lives under an absolute $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(xdgAutostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/autostart');
    expect(xdgAutostartDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe(
      '/home/u/.config/autostart',
    );
    expect(xdgAutostartDir({}, '/home/u')).toBe('/home/u/.config/autostart');
  });

  it('runs the AppImage file itself when the app is one', () => {
    const app = new FakeApp();
    expect(appExecutable(app, { APPIMAGE: '/home/u/StudioWorker.AppImage' })).toBe(
      '/home/u/StudioWorker.AppImage',
    );
    expect(appExecutable(app, {})).toBe('/opt/Studio Worker/studio-worker');
  });
});

describe('applyAutoStart', () => {
  it('uses a login item with --hidden on Windows', async () => {
    const app = new FakeApp();
    app.isPackaged = true;
    await applyAutoStart({ enabled: true, app, platform: 'win32', env: {} });
    expect(app.loginItems).toEqual([{ openAtLogin: true, args: ['--hidden'] }]);
  });

  it('starts hidden at login on macOS 13+ too: a LaunchAgent passing --hidden, no login item', async () => {
    const home = await temp();
    const app = new FakeApp();
    app.isPackaged = true;
    app.paths.home = home;
    app.paths.exe = '/Applications/Studio Worker.app/Contents/MacOS/Studio Worker';
    expect(await applyAutoStart({ enabled: true, app, platform: 'darwin', env: {} })).toBe(
      'written',
    );
    // Electron's login items ignore args on macOS and 13+ does not report wasOpenedAtLogin.
    expect(app.loginItems).toEqual([{ openAtLogin: false, args: [] }]);
    const plist = path.join(home, 'Library', 'LaunchAgents', 'dev.studioworker.app.plist');
    const text = await readFile(plist, 'utf8');
    expect(text).toContain(
      '<string>/Applications/Studio Worker.app/Contents/MacOS/Studio Worker</string>\n    <string>--hidden</string>',
    );
    expect(text).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(await applyAutoStart({ enabled: false, app, platform: 'darwin', env: {} })).toBe(
      'removed',
    );
  });

  it('writes the XDG entry on Linux', async () => {
    const home = await temp();
    const app = new FakeApp();
    app.isPackaged = true;
    app.paths.home = home;
    expect(await applyAutoStart({ enabled: true, app, platform: 'linux', env: {} })).toBe(
      'written',
    );
    expect(
      await readFile(path.join(home, '.config', 'autostart', 'studio-worker.desktop'), 'utf8'),
    ).toContain('--hidden');
  });

  it('does nothing in a development build', async () => {
    const app = new FakeApp();
    expect(await applyAutoStart({ enabled: true, app, platform: 'win32', env: {} })).toBe(
      'skipped-development',
    );
    expect(app.loginItems).toEqual([]);
  });
});
