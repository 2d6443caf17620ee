import { describe, expect, it } from 'vitest';
import { createSettingsWindow } from '../../../src/main/window/settings-window.js';
import type { RendererLocation } from '../../../src/main/window/renderer-location.js';
import { windowFactory } from '../fakes.js';

const PAGE = 'file:///opt/studio-worker/dist/renderer/index.html';

function setup(renderer: RendererLocation = { kind: 'file', url: PAGE }) {
  const { windows, create } = windowFactory();
  let quitting = false;
  const external: string[] = [];
  const window = createSettingsWindow({
    createWindow: create,
    renderer,
    preloadPath: '/opt/studio-worker/dist/preload/index.cjs',
    iconPath: '/opt/studio-worker/assets/icon.png',
    isQuitting: () => quitting,
    openExternal: (url) => external.push(url),
    onLoadError: () => undefined,
  });
  return {
    window,
    windows,
    external,
    quit: () => {
      quitting = true;
    },
  };
}

describe('the settings window', () => {
  it('is made on first show, with isolation, sandbox, no Node and our preload, and loads our page', () => {
    const { window, windows } = setup();
    expect(windows).toHaveLength(0);
    window.show();
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w.options.webPreferences).toEqual({
      preload: '/opt/studio-worker/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(w.loaded).toEqual([PAGE]);
    expect(w.visible).toBe(true);
    expect(w.focused).toBe(1);
  });

  it('hides instead of closing, so the app keeps running in the tray', () => {
    const { window, windows } = setup();
    window.show();
    const w = windows[0]!;
    expect(w.close()).toBe(false);
    expect(w.visible).toBe(false);
    expect(w.destroyed).toBe(false);
    window.show();
    expect(windows).toHaveLength(1);
    expect(w.visible).toBe(true);
  });

  it('really closes once the app is quitting', () => {
    const { window, windows, quit } = setup();
    window.show();
    quit();
    expect(windows[0]!.close()).toBe(true);
    expect(window.webContents()).toBeNull();
  });

  it('restores a minimised window when shown', () => {
    const { window, windows } = setup();
    window.show();
    windows[0]!.minimized = true;
    window.show();
    expect(windows[0]!.minimized).toBe(false);
  });

  it('sets a strict CSP, and denies permissions, navigation, webviews and new windows', () => {
    const { window, windows, external } = setup();
    window.show();
    const contents = windows[0]!.webContents;
    expect(contents.csp).toContain("default-src 'none'");
    expect(contents.csp).toContain("script-src 'self'");
    expect(contents.csp).not.toContain('unsafe');
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'usb'])
      expect(contents.permissionPolicy?.(permission), permission).toBe(false);
    // Copying log lines is the one thing the page may do.
    expect(contents.permissionPolicy?.('clipboard-sanitized-write')).toBe(true);
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.navigate(PAGE)).toBe(false);
    expect(contents.attachWebview()).toBe(false);
    expect(contents.openHandler?.({ url: 'https://docs.example/help' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // Web links open in the browser; nothing else is opened anywhere.
    expect(external).toEqual(['https://docs.example/help']);
  });

  it('trusts IPC only from its own web contents showing our page', () => {
    const { window, windows } = setup();
    expect(window.isTrustedSender({ sender: { id: 1 }, senderFrame: { url: PAGE } })).toBe(false);
    window.show();
    const contents = windows[0]!.webContents;
    expect(window.isTrustedSender(contents.event(PAGE))).toBe(true);
    expect(window.isTrustedSender(contents.event(`${PAGE}#/logs`))).toBe(true);
    expect(window.isTrustedSender(contents.event('file:///tmp/evil.html'))).toBe(false);
    expect(window.isTrustedSender({ sender: { id: contents.id }, senderFrame: null })).toBe(false);
    expect(
      window.isTrustedSender({ sender: { id: contents.id + 1 }, senderFrame: { url: PAGE } }),
    ).toBe(false);
  });
});
