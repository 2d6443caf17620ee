// The slice of Electron the main process uses, for booting dist/main/index.js in plain Node, with
// Electron's ordering rules: `ready` fires after the main script's first turn; privileged schemes
// throw after it; Tray, BrowserWindow, dialog and powerMonitor throw before it; app.quit() runs
// before-quit (which a listener may cancel), then exits. Each thing the app does is printed as a
// line `@boot <json>` on stdout for the test to read; "quit" on stdin is a user choosing Quit.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

export function record(event, detail = {}) {
  process.stdout.write(`@boot ${JSON.stringify({ event, ...detail })}\n`);
}

let ready = false;
function requireReady(what) {
  if (!ready) throw new Error(`${what} cannot be used before the app is ready`);
}

const dir = process.env.BOOT_DIR ?? process.cwd();
const emitter = new EventEmitter();
let readyResolve;
const readyPromise = new Promise((resolve) => (readyResolve = resolve));
let exiting = false;

export const app = {
  isPackaged: false,
  on: (event, listener) => (emitter.on(event, listener), app),
  getVersion: () => '0.2.0',
  getPath: (name) => path.join(dir, name === 'home' ? 'home' : name),
  getAppPath: () => dir,
  requestSingleInstanceLock: () => true,
  whenReady: () => readyPromise,
  isReady: () => ready,
  quit() {
    let prevented = false;
    emitter.emit('before-quit', { preventDefault: () => (prevented = true) });
    record('before-quit', { prevented });
    if (prevented || exiting) return;
    exiting = true;
    emitter.emit('will-quit', { preventDefault() {} });
    record('exit');
    // Electron ends the process once will-quit passes; let stdout drain first.
    process.stdout.write('', () => process.exit(0));
  },
  dock: { hide: () => undefined },
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  setLoginItemSettings: () => undefined,
  setAppUserModelId: () => undefined,
};

// Electron fires ready once the main script's first turn is over, never during it.
setTimeout(() => {
  ready = true;
  record('ready');
  emitter.emit('ready');
  readyResolve();
}, 0);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'quit') app.quit();
});

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record('privileged-schemes', { schemes: schemes.map((s) => s.scheme) });
  },
};

export const nativeImage = { createFromPath: (file) => ({ file }) };
export const Menu = { buildFromTemplate: (template) => ({ template }) };

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    requireReady('Tray');
    record('tray', { icon: image.file });
  }
  setImage() {}
  setToolTip(text) {
    record('tooltip', { text });
  }
  setContextMenu() {
    record('tray-menu');
  }
  destroy() {
    record('tray-destroyed');
  }
}

let nextId = 1;
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    requireReady('BrowserWindow');
    record('window', { title: options.title, show: options.show });
    const session = {
      webRequest: { onHeadersReceived() {} },
      setPermissionRequestHandler() {},
      setPermissionCheckHandler() {},
    };
    const contents = new EventEmitter();
    Object.assign(contents, {
      id: nextId++,
      session,
      isDestroyed: () => false,
      send() {},
      setWindowOpenHandler() {},
    });
    this.webContents = contents;
  }
  show() {
    record('window-shown');
  }
  hide() {}
  focus() {}
  restore() {}
  isMinimized = () => false;
  isDestroyed = () => false;
  loadURL = () => Promise.resolve();
}

export const dialog = {
  showErrorBox(title, message) {
    record('error-box', { title, message });
  },
  async showMessageBox(options) {
    requireReady('dialog');
    record('problem', { title: options.title, detail: options.detail });
    // What the user clicks: BOOT_PROBLEM_ANSWER is the button's index (2 = Quit).
    return { response: Number(process.env.BOOT_PROBLEM_ANSWER ?? 2) };
  },
};

const ipcEmitter = new EventEmitter();
export const ipcMain = {
  handle() {},
  on: (channel, listener) => ipcEmitter.on(channel, listener),
  removeHandler() {},
  removeAllListeners: (channel) => ipcEmitter.removeAllListeners(channel),
};

const powerEmitter = new EventEmitter();
export const powerMonitor = {
  on(event, listener) {
    requireReady('powerMonitor');
    powerEmitter.on(event, listener);
  },
  removeListener(event, listener) {
    powerEmitter.removeListener(event, listener);
  },
  getSystemIdleTime: () => 0,
  isOnBatteryPower: () => false,
};

export const shell = {
  openPath: async () => '',
  openExternal: async () => undefined,
};

export class Notification {
  static isSupported() {
    return false;
  }
  show() {}
}

export default {
  app,
  protocol,
  nativeImage,
  Menu,
  Tray,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  shell,
  Notification,
};
