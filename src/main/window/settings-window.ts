// The settings window: made on first use, shown and focused on demand, hidden (not closed) when
// the user closes it, since a tray app keeps running without its window. Locked down: isolated,
// sandboxed, no Node, a strict CSP, no navigation away from our page, no new windows.
import type {
  IpcEventLike,
  PreventableEvent,
  WebContentsPort,
  WindowOptions,
  WindowPort,
} from '../ports.js';
import type { RendererLocation } from './renderer-location.js';
import { contentSecurityPolicy, isRendererUrl } from './renderer-location.js';
import { errorMessage } from '../../core/errors/message.js';

export interface SettingsWindowDeps {
  createWindow: (options: WindowOptions) => WindowPort;
  renderer: RendererLocation;
  preloadPath: string;
  iconPath?: string;
  /** Decides how file paths compare (case-insensitively on Windows). */
  platform?: NodeJS.Platform;
  /** True once the app is quitting: then a close really closes. */
  isQuitting: () => boolean;
  /** Opens http(s) links the page tries to open in a new window in the user's browser. */
  openExternal: (url: string) => void;
  /** Reports a failure to load the page. */
  onLoadError: (message: string) => void;
}

export interface SettingsWindow {
  /** Creates the window if needed, then shows and focuses it. */
  show(): void;
  /** The window's page, when the window exists. */
  webContents(): WebContentsPort | null;
  /** Only our window, showing our page, may talk to main. */
  isTrustedSender(event: IpcEventLike): boolean;
  /** Whether the window exists and is on screen (nothing is pushed to a hidden one). */
  isVisible(): boolean;
  /** Called whenever the window is shown again. */
  onShown(listener: () => void): void;
}

/**
 * The only permission the page gets: writing to the clipboard (copying log lines). Camera,
 * microphone, notifications, geolocation and the rest are refused.
 */
export function pagePermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

export function windowOptions(preloadPath: string, iconPath?: string): WindowOptions {
  return {
    title: 'Studio Worker',
    width: 980,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    show: false,
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export function createSettingsWindow(deps: SettingsWindowDeps): SettingsWindow {
  let win: WindowPort | null = null;
  const shownListeners: (() => void)[] = [];

  const make = (): WindowPort => {
    const w = deps.createWindow(windowOptions(deps.preloadPath, deps.iconPath));
    const contents = w.webContents;
    contents.setContentSecurityPolicy(contentSecurityPolicy(deps.renderer));
    contents.setPermissionPolicy(pagePermissionAllowed);
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//i.test(url)) deps.openExternal(url);
      return { action: 'deny' };
    });
    // The page is a single-page app: it never needs to navigate, so nothing may make it.
    contents.onWillNavigate((event: PreventableEvent) => event.preventDefault());
    contents.onWillAttachWebview((event: PreventableEvent) => event.preventDefault());
    w.onClose((event) => {
      if (deps.isQuitting()) return;
      event.preventDefault();
      w.hide();
    });
    w.onShow(() => {
      for (const listener of shownListeners) listener();
    });
    w.loadURL(deps.renderer.url).catch((error: unknown) =>
      deps.onLoadError(
        `could not load the window's page from ${deps.renderer.url}: ${errorMessage(error)}`,
      ),
    );
    return w;
  };

  return {
    show() {
      if (!win || win.isDestroyed()) win = make();
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
    webContents() {
      return win && !win.isDestroyed() ? win.webContents : null;
    },
    isVisible() {
      return win !== null && !win.isDestroyed() && win.isVisible();
    },
    onShown(listener) {
      shownListeners.push(listener);
    },
    isTrustedSender(event) {
      const contents = win && !win.isDestroyed() ? win.webContents : null;
      if (!contents || event.sender.id !== contents.id) return false;
      return (
        event.senderFrame !== null &&
        isRendererUrl(deps.renderer, event.senderFrame.url, deps.platform)
      );
    },
  };
}
