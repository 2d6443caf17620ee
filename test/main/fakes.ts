// Fake Electron objects for the main-process tests: each implements its port from
// src/main/ports.ts and records what the app did with it, so a test can assert on that.
import type { LogLevel } from '../../src/shared/snapshot.js';
import type {
  AppPort,
  DesktopPorts,
  FileLogPort,
  IpcEventLike,
  IpcMainPort,
  NotifierPort,
  PowerMonitorPort,
  PreventableEvent,
  SentryOptions,
  SentryPort,
  ShellPort,
  StartupChoice,
  StartupProblem,
  TrayPort,
  WebContentsPort,
  WindowOptions,
  WindowPort,
} from '../../src/main/ports.js';
import type { TrayAction, TrayMenuItem } from '../../src/main/tray/menu.js';

/** An event whose preventDefault is recorded. */
export function preventable(): PreventableEvent & { prevented: boolean } {
  const event = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

/**
 * Electron's app, with its ordering rules: `ready` fires on a later turn than the one that loads
 * the main script (never synchronously), and what Electron refuses after `ready` (Sentry's init,
 * privileged schemes) or before it (a Tray, a BrowserWindow) throws here as it does there.
 */
export class FakeApp implements AppPort {
  isPackaged = false;
  /** Whether Electron's `ready` has fired. */
  ready = false;
  private readonly readyWaiters: (() => void)[] = [];
  lock = true;
  openedAtLogin = false;
  version = '1.0.0';
  quitCalls = 0;
  dockHidden = false;
  loginItems: { openAtLogin: boolean; args: string[] }[] = [];
  appUserModelId: string | null = null;
  paths: Record<string, string> = {
    home: '/home/tester',
    logs: '/home/tester/.config/Studio Worker/logs',
    exe: '/opt/Studio Worker/studio-worker',
    userData: '/home/tester/.config/Studio Worker',
  };
  readonly secondInstance: (() => void)[] = [];
  readonly beforeQuit: ((event: PreventableEvent) => void)[] = [];
  readonly windowAllClosed: (() => void)[] = [];
  readonly sessionEnd: (() => void)[] = [];

  getVersion = () => this.version;
  getPath = (name: 'home' | 'logs' | 'exe' | 'userData') => this.paths[name] ?? `/${name}`;
  requestSingleInstanceLock = () => this.lock;
  whenReady = () =>
    this.ready ? Promise.resolve() : new Promise<void>((r) => void this.readyWaiters.push(r));
  /** Fires `ready` (fakeDesktop schedules it for the turn after the one that made the app). */
  emitReady() {
    if (this.ready) return;
    this.ready = true;
    for (const waiter of this.readyWaiters.splice(0)) waiter();
  }
  /** Throws as Electron does when `what` is used before `ready`. */
  requireReady(what: string) {
    if (!this.ready) throw new Error(`${what} cannot be used before the app is ready`);
  }
  onSecondInstance = (l: () => void) => void this.secondInstance.push(l);
  onBeforeQuit = (l: (event: PreventableEvent) => void) => void this.beforeQuit.push(l);
  onWindowAllClosed = (l: () => void) => void this.windowAllClosed.push(l);
  onSessionEnd = (l: () => void) => void this.sessionEnd.push(l);
  /** The OS logs out or shuts down. */
  endSession() {
    for (const l of this.sessionEnd) l();
  }
  quit = () => {
    this.quitCalls += 1;
  };
  hideDock = () => {
    this.dockHidden = true;
  };
  wasOpenedAtLogin = () => this.openedAtLogin;
  setAppUserModelId = (id: string) => {
    this.appUserModelId = id;
  };
  setLoginItemSettings = (s: { openAtLogin: boolean; args: string[] }) =>
    void this.loginItems.push(s);

  /** What Electron does when something asks the app to quit: returns the event. */
  emitBeforeQuit() {
    const event = preventable();
    for (const l of this.beforeQuit) l(event);
    return event;
  }
  launchSecondInstance() {
    for (const l of this.secondInstance) l();
  }
}

export class FakeTray implements TrayPort {
  images: string[] = [];
  tooltips: string[] = [];
  menus: TrayMenuItem[][] = [];
  destroyed = false;
  private onAction: ((action: TrayAction) => void) | null = null;
  private readonly clickListeners: (() => void)[] = [];

  constructor(readonly initialIcon: string) {}

  get image() {
    return this.images.at(-1) ?? this.initialIcon;
  }
  get tooltip() {
    return this.tooltips.at(-1) ?? '';
  }
  get menu() {
    return this.menus.at(-1) ?? [];
  }
  /** Electron throws when a destroyed tray is used. */
  private alive() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
  setImage = (p: string) => {
    this.alive();
    this.images.push(p);
  };
  setToolTip = (t: string) => {
    this.alive();
    this.tooltips.push(t);
  };
  setMenu = (items: TrayMenuItem[], onAction: (action: TrayAction) => void) => {
    this.alive();
    this.menus.push(items);
    this.onAction = onAction;
  };
  onClick = (l: () => void) => void this.clickListeners.push(l);
  destroy = () => {
    this.destroyed = true;
  };

  /** Finds an item by its label path (submenu labels first) in the current menu. */
  item(...labels: (string | RegExp)[]): TrayMenuItem {
    let items = this.menu;
    let found: TrayMenuItem | undefined;
    for (const [index, label] of labels.entries()) {
      found = items.find(
        (i) =>
          i.type !== 'separator' &&
          (typeof label === 'string' ? i.label === label : label.test(i.label)),
      );
      if (!found) throw new Error(`no menu item ${String(label)} in ${labels.join(' ▸ ')}`);
      if (index < labels.length - 1) {
        if (found.type !== 'submenu') throw new Error(`${String(label)} has no submenu`);
        items = found.submenu;
      }
    }
    if (!found) throw new Error('no label given');
    return found;
  }

  /** Whether the current menu has that item. */
  has(...labels: (string | RegExp)[]): boolean {
    try {
      this.item(...labels);
      return true;
    } catch {
      return false;
    }
  }

  /** Clicks an item as a user would: its action goes to the app. */
  click(...labels: (string | RegExp)[]): void {
    const item = this.item(...labels);
    if (item.type === 'separator' || item.type === 'submenu' || !item.action)
      throw new Error(`${labels.join(' ▸ ')} is not clickable`);
    if (item.type === 'normal' && !item.enabled)
      throw new Error(`${labels.join(' ▸ ')} is disabled`);
    if (!this.onAction) throw new Error('no menu set');
    this.onAction(item.action);
  }

  clickIcon() {
    for (const l of this.clickListeners) l();
  }
}

let nextWebContentsId = 1;

export class FakeWebContents implements WebContentsPort {
  readonly id = nextWebContentsId++;
  destroyed = false;
  sent: { channel: string; payload: unknown }[] = [];
  csp: string | null = null;
  permissionPolicy: ((permission: string) => boolean) | null = null;
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  private readonly navigateListeners: ((event: PreventableEvent, url: string) => void)[] = [];
  private readonly webviewListeners: ((event: PreventableEvent) => void)[] = [];

  isDestroyed = () => this.destroyed;
  send = (channel: string, payload: unknown) => void this.sent.push({ channel, payload });
  setWindowOpenHandler = (h: (details: { url: string }) => { action: 'deny' }) => {
    this.openHandler = h;
  };
  onWillNavigate = (l: (event: PreventableEvent, url: string) => void) =>
    void this.navigateListeners.push(l);
  onWillAttachWebview = (l: (event: PreventableEvent) => void) =>
    void this.webviewListeners.push(l);
  setContentSecurityPolicy = (policy: string) => {
    this.csp = policy;
  };
  setPermissionPolicy = (allow: (permission: string) => boolean) => {
    this.permissionPolicy = allow;
  };

  /** The page tries to navigate: returns whether main let it. */
  navigate(url: string): boolean {
    const event = preventable();
    for (const l of this.navigateListeners) l(event, url);
    return !event.prevented;
  }
  attachWebview(): boolean {
    const event = preventable();
    for (const l of this.webviewListeners) l(event);
    return !event.prevented;
  }
  /** An IPC event from this page's main frame at `url`. */
  event(url: string): IpcEventLike {
    return { sender: { id: this.id }, senderFrame: { url } };
  }
}

export class FakeWindow implements WindowPort {
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = 0;
  minimized = false;
  destroyed = false;
  loaded: string[] = [];
  private readonly closeListeners: ((event: PreventableEvent) => void)[] = [];

  constructor(readonly options: WindowOptions) {}

  private readonly showListeners: (() => void)[] = [];
  show = () => {
    const wasVisible = this.visible;
    this.visible = true;
    if (!wasVisible) for (const l of this.showListeners) l();
  };
  isVisible = () => this.visible;
  onShow = (l: () => void) => void this.showListeners.push(l);
  hide = () => {
    this.visible = false;
  };
  focus = () => {
    this.focused += 1;
  };
  restore = () => {
    this.minimized = false;
  };
  isMinimized = () => this.minimized;
  isDestroyed = () => this.destroyed;
  loadURL = (url: string) => {
    this.loaded.push(url);
    return Promise.resolve();
  };
  onClose = (l: (event: PreventableEvent) => void) => void this.closeListeners.push(l);

  /** The user closes the window: returns whether it really closed. */
  close(): boolean {
    const event = preventable();
    for (const l of this.closeListeners) l(event);
    if (!event.prevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.visible = false;
    }
    return !event.prevented;
  }
}

/** A createWindow that keeps the windows it made. */
export function windowFactory(): {
  create: (o: WindowOptions) => FakeWindow;
  windows: FakeWindow[];
} {
  const windows: FakeWindow[] = [];
  return {
    windows,
    create: (options) => {
      const win = new FakeWindow(options);
      windows.push(win);
      return win;
    },
  };
}

export class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<
    string,
    (event: IpcEventLike, payload: unknown) => Promise<unknown>
  >();
  readonly listeners = new Map<string, ((event: IpcEventLike) => void)[]>();

  handle = (channel: string, h: (event: IpcEventLike, payload: unknown) => Promise<unknown>) => {
    if (this.handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    this.handlers.set(channel, h);
  };
  on = (channel: string, l: (event: IpcEventLike) => void) =>
    void this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), l]);
  removeHandler = (channel: string) => void this.handlers.delete(channel);
  removeAllListeners = (channel: string) => void this.listeners.delete(channel);

  /** ipcRenderer.invoke from a page. */
  invoke(channel: string, event: IpcEventLike, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload);
  }
  /** ipcRenderer.send from a page. */
  emit(channel: string, event: IpcEventLike): void {
    for (const l of this.listeners.get(channel) ?? []) l(event);
  }
}

export class FakePowerMonitor implements PowerMonitorPort {
  private readonly suspendListeners = new Set<() => void>();
  private readonly resumeListeners = new Set<() => void>();
  onSuspend = (l: () => void) => listen(this.suspendListeners, l);
  onResume = (l: () => void) => listen(this.resumeListeners, l);
  /** How many suspend and resume listeners are still attached. */
  listenerCount() {
    return this.suspendListeners.size + this.resumeListeners.size;
  }
  idle = 0;
  battery = false;
  idleSeconds = () => this.idle;
  onBattery = () => this.battery;
  suspend() {
    for (const l of this.suspendListeners) l();
  }
  resume() {
    for (const l of this.resumeListeners) l();
  }
}

/** Adds `l` to `set` (a copy per call, as Electron's emitter does); returns its removal. */
function listen(set: Set<() => void>, l: () => void): () => void {
  const copy = () => l();
  set.add(copy);
  return () => void set.delete(copy);
}

export class FakeShell implements ShellPort {
  opened: string[] = [];
  external: string[] = [];
  /** What openPath answers: '' = opened. */
  failure = '';
  openPath = (p: string) => {
    this.opened.push(p);
    return Promise.resolve(this.failure);
  };
  openExternal = (url: string) => {
    this.external.push(url);
    return Promise.resolve();
  };
  /** What the file picker answers (null: cancelled). */
  picked: string | null = null;
  pickFile: ShellPort['pickFile'] = () => Promise.resolve(this.picked);
}

export class FakeNotifier implements NotifierPort {
  supported = true;
  shown: { title: string; body: string }[] = [];
  isSupported = () => this.supported;
  show = (n: { title: string; body: string }) => void this.shown.push(n);
}

export class FakeFileLog implements FileLogPort {
  readonly dir = '/home/tester/.config/Studio Worker/logs';
  level: LogLevel | null = null;
  lines: { level: LogLevel; line: string }[] = [];
  setLevel = (level: LogLevel) => {
    this.level = level;
  };
  write = (level: LogLevel, line: string) => void this.lines.push({ level, line });
}

export class FakeSentry implements SentryPort {
  inits: SentryOptions[] = [];
  flushes = 0;
  /** `isReady`: Electron's ready state; @sentry/electron's main init throws once it has fired. */
  constructor(private readonly isReady: () => boolean = () => false) {}
  init = (o: SentryOptions) => {
    if (this.isReady())
      throw new Error('Sentry SDK should be initialized before the Electron app "ready" event');
    this.inits.push(o);
  };
  flush = () => {
    this.flushes += 1;
    return Promise.resolve(true);
  };
}

export interface FakeDesktop extends DesktopPorts {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  powerMonitor: FakePowerMonitor;
  shell: FakeShell;
  notifier: FakeNotifier;
  fileLog: FakeFileLog;
  sentry: FakeSentry;
  trays: FakeTray[];
  windows: FakeWindow[];
  startupErrors: { title: string; message: string }[];
  /** The start-up problems shown, and what the user answers (shifted per showing; 'quit' after). */
  problems: StartupProblem[];
  problemAnswers: StartupChoice[];
  /** The one tray (fails when there is none). */
  tray(): FakeTray;
  /** The one window (fails when none was made). */
  window(): FakeWindow;
}

/**
 * `ready`: 'next-turn' (default) fires Electron's ready on a later turn, as a real launch does, so
 * whatever must precede it has to run synchronously in start-up's first turn; 'now' is for tests
 * that build the desktop shell directly (production builds it after ready).
 */
export function fakeDesktop(
  overrides: Partial<Pick<DesktopPorts, 'platform' | 'argv' | 'env'>> & {
    ready?: 'now' | 'next-turn';
  } = {},
): FakeDesktop {
  const trays: FakeTray[] = [];
  const { windows, create: makeWindow } = windowFactory();
  const startupErrors: { title: string; message: string }[] = [];
  const app = new FakeApp();
  if (overrides.ready === 'now') app.emitReady();
  else setImmediate(() => app.emitReady());
  const createWindow = (options: WindowOptions) => {
    app.requireReady('BrowserWindow');
    return makeWindow(options);
  };
  return {
    app,
    platform: overrides.platform ?? 'linux',
    argv: overrides.argv ?? ['/opt/Studio Worker/studio-worker'],
    env: overrides.env ?? {},
    createTray: (icon) => {
      app.requireReady('Tray');
      const tray = new FakeTray(icon);
      trays.push(tray);
      return tray;
    },
    createWindow,
    ipcMain: new FakeIpcMain(),
    powerMonitor: new FakePowerMonitor(),
    shell: new FakeShell(),
    notifier: new FakeNotifier(),
    fileLog: new FakeFileLog(),
    sentry: new FakeSentry(() => app.ready),
    showStartupError: (title, message) => void startupErrors.push({ title, message }),
    showStartupProblem(problem) {
      app.requireReady('dialog');
      this.problems.push(problem);
      return Promise.resolve(this.problemAnswers.shift() ?? 'quit');
    },
    problems: [],
    problemAnswers: [],
    trays,
    windows,
    startupErrors,
    tray() {
      const tray = trays[0];
      if (!tray) throw new Error('no tray was made');
      return tray;
    },
    window() {
      const win = windows.at(-1);
      if (!win) throw new Error('no window was made');
      return win;
    },
  };
}
