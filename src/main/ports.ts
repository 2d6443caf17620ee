// The slice of Electron the main process uses, as small interfaces. adapters/electron.ts fills
// them from the real modules; tests hand in fakes and assert on what the app did with them.
// Nothing here imports Electron, so everything built on these ports runs on plain Node.
import type { LogLevel } from '../shared/snapshot.js';
import type { TrayAction, TrayMenuItem } from './tray/menu.js';

/** An Electron event whose default the listener may cancel (close, before-quit, will-navigate). */
export interface PreventableEvent {
  preventDefault(): void;
}

export interface AppPort {
  readonly isPackaged: boolean;
  getVersion(): string;
  getPath(name: 'home' | 'logs' | 'exe' | 'userData'): string;
  /** False in a second instance: the first one keeps running and is told. */
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  onSecondInstance(listener: () => void): void;
  onBeforeQuit(listener: (event: PreventableEvent) => void): void;
  /** Subscribing keeps Electron from quitting when the last window closes. */
  onWindowAllClosed(listener: () => void): void;
  quit(): void;
  /** macOS: hides the dock icon (a tray app has none). No-op elsewhere. */
  hideDock(): void;
  /** macOS: whether this launch came from the login items. False elsewhere. */
  wasOpenedAtLogin(): boolean;
  /** macOS and Windows login items. */
  setLoginItemSettings(settings: { openAtLogin: boolean; args: string[] }): void;
  /** Windows: the id notifications and the taskbar group the app by (electron-builder's appId). */
  setAppUserModelId(id: string): void;
  /**
   * The OS ends the session (logout, shutdown, restart): powerMonitor's 'shutdown' on macOS and
   * Linux, 'query-session-end'/'session-end' on Windows. The app then has seconds at most.
   */
  onSessionEnd(listener: () => void): void;
}

export interface TrayPort {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  /** Replaces the context menu; a click on an item calls `onAction` with its action. */
  setMenu(items: TrayMenuItem[], onAction: (action: TrayAction) => void): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface WebContentsPort {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  onWillNavigate(listener: (event: PreventableEvent, url: string) => void): void;
  onWillAttachWebview(listener: (event: PreventableEvent) => void): void;
  /** Sends this policy as the Content-Security-Policy header of every response to the window. */
  setContentSecurityPolicy(policy: string): void;
  /** Answers the page's permission requests and checks (camera, notifications, …) with `allow`. */
  setPermissionPolicy(allow: (permission: string) => boolean): void;
}

export interface WindowPort {
  readonly webContents: WebContentsPort;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  isVisible(): boolean;
  /** The window became visible (our show(), or the OS: macOS's dock, a restore). */
  onShow(listener: () => void): void;
  loadURL(url: string): Promise<void>;
  onClose(listener: (event: PreventableEvent) => void): void;
}

/** What BrowserWindow is built with (a subset of its options, with the secure settings fixed). */
export interface WindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  icon?: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: false;
  };
}

/** The parts of an IPC event main looks at to decide whether to trust it. */
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  /** Null once the frame has navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainPort {
  handle(
    channel: string,
    handler: (event: IpcEventLike, payload: unknown) => Promise<unknown>,
  ): void;
  on(channel: string, listener: (event: IpcEventLike) => void): void;
  removeHandler(channel: string): void;
  removeAllListeners(channel: string): void;
}

export interface PowerMonitorPort {
  /** The machine is going to sleep. Returns the function that removes the listener. */
  onSuspend(listener: () => void): () => void;
  /** The machine woke up. Returns the function that removes the listener. */
  onResume(listener: () => void): () => void;
  /** Seconds since the last keyboard or mouse input. */
  idleSeconds(): number;
  onBattery(): boolean;
}

export interface ShellPort {
  /** Resolves to an error message, or '' when the folder opened. */
  openPath(path: string): Promise<string>;
  openExternal(url: string): Promise<void>;
  /** A native open-file dialog for one file of these extensions; null when cancelled. */
  pickFile(filter: { name: string; extensions: string[] }): Promise<string | null>;
}

export interface NotifierPort {
  isSupported(): boolean;
  show(notice: { title: string; body: string }): void;
}

/** The desktop log file (electron-log in production). */
export interface FileLogPort {
  /** The folder the log files live in (shown by "Open logs folder"). */
  readonly dir: string;
  setLevel(level: LogLevel): void;
  write(level: LogLevel, line: string): void;
}

export interface SentryOptions {
  dsn: string;
  release: string;
  environment: string;
  beforeSend: <E extends object>(event: E) => E | null;
}

export interface SentryPort {
  init(options: SentryOptions): void;
  /** Sends what is queued; resolves false when `timeoutMs` passed first. */
  flush(timeoutMs: number): Promise<boolean>;
}

/** Everything the desktop app needs from its surroundings. */
export interface DesktopPorts {
  app: AppPort;
  platform: NodeJS.Platform;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  createTray(iconPath: string): TrayPort;
  createWindow(options: WindowOptions): WindowPort;
  ipcMain: IpcMainPort;
  powerMonitor: PowerMonitorPort;
  shell: ShellPort;
  notifier: NotifierPort;
  fileLog: FileLogPort;
  sentry: SentryPort;
  /** Shows a modal error before quitting when the app cannot start at all (the last resort). */
  showStartupError(title: string, message: string): void;
  /**
   * A window with why the app cannot start yet (a malformed config, an engine that cannot be
   * built, another worker on the same config) and what the user can do about it.
   */
  showStartupProblem(problem: StartupProblem): Promise<StartupChoice>;
}

export interface StartupProblem {
  title: string;
  message: string;
  /** The config file the user may open to fix it. */
  configPath: string;
}

export type StartupChoice = 'retry' | 'open-config' | 'quit';
