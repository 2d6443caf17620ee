// The ports of ../ports.ts made from Electron's real objects. The only file (with the other
// adapters) that touches Electron: keep it a thin translation, with no decisions in it.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  shell,
  Tray,
} from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type {
  AppPort,
  DesktopPorts,
  FileLogPort,
  SentryPort,
  StartupChoice,
  TrayPort,
  WindowOptions,
  WindowPort,
} from '../ports.js';
import type { TrayAction, TrayMenuItem } from '../tray/menu.js';

const appPort: AppPort = {
  get isPackaged() {
    return app.isPackaged;
  },
  getVersion: () => app.getVersion(),
  getPath: (name) => app.getPath(name),
  requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
  whenReady: () => app.whenReady().then(() => undefined),
  onSecondInstance: (listener) => void app.on('second-instance', () => listener()),
  onBeforeQuit: (listener) => void app.on('before-quit', (event) => listener(event)),
  onWindowAllClosed: (listener) => void app.on('window-all-closed', () => listener()),
  quit: () => app.quit(),
  hideDock: () => app.dock?.hide(),
  wasOpenedAtLogin: () =>
    process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin,
  setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
  setAppUserModelId: (id) => app.setAppUserModelId(id),
  onSessionEnd: (listener) => {
    powerMonitor.on('shutdown', () => listener());
    if (process.platform !== 'win32') return;
    // Windows tells windows, not apps, that the session ends: a hidden one that only listens.
    const listening = new BrowserWindow({
      show: false,
      width: 1,
      height: 1,
      skipTaskbar: true,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    listening.on('query-session-end', () => listener());
    listening.on('session-end', () => listener());
  },
};

const STARTUP_CHOICES: readonly StartupChoice[] = ['retry', 'open-config', 'quit'];

function menuTemplate(
  items: TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, submenu: menuTemplate(item.submenu, onAction) };
      case 'normal': {
        const { action } = item;
        return {
          label: item.label,
          enabled: item.enabled,
          ...(action ? { click: () => onAction(action) } : {}),
        };
      }
      case 'checkbox':
      case 'radio':
        return {
          type: item.type,
          label: item.label,
          checked: item.checked,
          click: () => onAction(item.action),
        };
    }
  });
}

function createTray(iconPath: string): TrayPort {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  return {
    setImage: (path) => tray.setImage(nativeImage.createFromPath(path)),
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (items, onAction) =>
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(items, onAction))),
    onClick: (listener) => void tray.on('click', () => listener()),
    destroy: () => tray.destroy(),
  };
}

function createWindow(options: WindowOptions): WindowPort {
  const win = new BrowserWindow(options);
  const contents = win.webContents;
  return {
    webContents: {
      id: contents.id,
      isDestroyed: () => contents.isDestroyed(),
      send: (channel, payload) => contents.send(channel, payload),
      setWindowOpenHandler: (handler) => contents.setWindowOpenHandler(handler),
      onWillNavigate: (listener) =>
        void contents.on('will-navigate', (event) => listener(event, event.url)),
      onWillAttachWebview: (listener) =>
        void contents.on('will-attach-webview', (event) => listener(event)),
      setContentSecurityPolicy: (policy) =>
        contents.session.webRequest.onHeadersReceived((details, callback) =>
          callback({
            responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
          }),
        ),
      setPermissionPolicy: (allow) => {
        contents.session.setPermissionRequestHandler((_contents, permission, callback) =>
          callback(allow(permission)),
        );
        contents.session.setPermissionCheckHandler((_contents, permission) => allow(permission));
      },
    },
    show: () => win.show(),
    hide: () => win.hide(),
    focus: () => win.focus(),
    restore: () => win.restore(),
    isMinimized: () => win.isMinimized(),
    isDestroyed: () => win.isDestroyed(),
    isVisible: () => win.isVisible(),
    onShow: (listener) => void win.on('show', () => listener()),
    loadURL: (url) => win.loadURL(url),
    onClose: (listener) => void win.on('close', (event) => listener(event)),
  };
}

export function createElectronPorts(fileLog: FileLogPort, sentry: SentryPort): DesktopPorts {
  return {
    app: appPort,
    platform: process.platform,
    argv: process.argv,
    env: process.env,
    createTray,
    createWindow,
    ipcMain: {
      handle: (channel, handler) =>
        ipcMain.handle(channel, (event, payload) => handler(event, payload)),
      on: (channel, listener) => void ipcMain.on(channel, (event) => listener(event)),
      removeHandler: (channel) => ipcMain.removeHandler(channel),
      removeAllListeners: (channel) => void ipcMain.removeAllListeners(channel),
    },
    powerMonitor: {
      // Each returns the removal of exactly the listener it added.
      onSuspend: (listener) => {
        const handler = () => listener();
        powerMonitor.on('suspend', handler);
        return () => void powerMonitor.removeListener('suspend', handler);
      },
      onResume: (listener) => {
        const handler = () => listener();
        powerMonitor.on('resume', handler);
        return () => void powerMonitor.removeListener('resume', handler);
      },
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      onBattery: () => powerMonitor.isOnBatteryPower(),
    },
    shell: {
      openPath: (path) => shell.openPath(path),
      openExternal: (url) => shell.openExternal(url),
      pickFile: async (filter) => {
        const { canceled, filePaths } = await dialog.showOpenDialog({
          properties: ['openFile'],
          filters: [filter],
        });
        return canceled ? null : (filePaths[0] ?? null);
      },
    },
    notifier: {
      isSupported: () => Notification.isSupported(),
      show: (notice) => new Notification(notice).show(),
    },
    fileLog,
    sentry,
    showStartupError: (title, message) => dialog.showErrorBox(title, message),
    showStartupProblem: async (problem) => {
      const { response } = await dialog.showMessageBox({
        type: 'error',
        title: problem.title,
        message: problem.title,
        detail: `${problem.message}\n\nSettings file: ${problem.configPath}`,
        buttons: ['Try again', 'Open the settings file', 'Quit'],
        defaultId: 0,
        cancelId: 2,
        noLink: true,
      });
      return STARTUP_CHOICES[response] ?? 'quit';
    },
  };
}
