// The desktop around a running worker: tray, settings window, window bridge, graceful quit, sleep
// and wake, notifications and start-at-login. Built from ports, so tests drive it with fakes and
// a real worker; start.ts builds it with Electron's objects.
import { detectPortsFromEnv } from '../../core/engine/detect/detect.js';
import path from 'node:path';
import type { CommandHost } from '../../core/control/commands.js';
import { applyCommand } from '../../core/control/commands.js';
import { DisposableStore, toDisposable } from '../../core/runtime/disposables.js';
import { errorMessage } from '../../core/errors/message.js';
import type { Worker } from '../../core/runtime/worker.js';
import { followAutoStart, followNotifications } from '../desktop/follow-worker.js';
import { followPower } from '../desktop/power.js';
import { serveBridge } from '../ipc/bridge-host.js';
import type { DesktopPorts } from '../ports.js';
import type { TrayIconName } from '../tray/icon.js';
import { trayIconFile } from '../tray/icon.js';
import type { TrayAction } from '../tray/menu.js';
import type { TrayController } from '../tray/tray-controller.js';
import { createTrayController } from '../tray/tray-controller.js';
import type { DesktopUpdateSource } from '../updater/electron-update-source.js';
import type { RendererLocation } from '../window/renderer-location.js';
import type { SettingsWindow } from '../window/settings-window.js';
import { createSettingsWindow } from '../window/settings-window.js';
import type { QuitController } from './quit.js';
import { createQuitController } from './quit.js';

export interface DesktopShellDeps {
  ports: Pick<
    DesktopPorts,
    | 'app'
    | 'platform'
    | 'env'
    | 'createTray'
    | 'createWindow'
    | 'ipcMain'
    | 'powerMonitor'
    | 'shell'
    | 'notifier'
  >;
  worker: Worker;
  renderer: RendererLocation;
  preloadPath: string;
  trayIconsDir: string;
  windowIconPath?: string;
  /** The folder "Open logs folder" opens. */
  logsDir: string;
  updateSource?: DesktopUpdateSource;
  /** Open the window now (false for a login launch with --hidden). */
  showWindow: boolean;
  /** Sends queued error reports; awaited before exit. */
  flushErrorReports: () => Promise<void>;
  /** Called once when quitting begins. */
  onQuitting?: () => void;
  /** The last step before exit, after the worker stopped (publish the final status, unlock). */
  beforeExit?: () => Promise<void>;
  /** Just before handing over to the installer (e.g. mark the relaunch as hidden). */
  beforeInstall?: () => Promise<void>;
  /** The installer did not take over: the tray and worker are gone, the app must come back. */
  onInstallFailed?: (message: string) => void;
  now?: () => number;
}

export interface DesktopShell {
  window: SettingsWindow;
  tray: TrayController;
  quit: QuitController;
  /** What tray and window commands may ask of the desktop beyond the worker. */
  commandHost: CommandHost;
  /** Runs a tray menu action (the tray calls this on a click). */
  runAction(action: TrayAction): Promise<void>;
  /** The worker's installUpdate port: it has drained; stop, then hand over to the installer. */
  installUpdate(version: string): Promise<void>;
  /** Applies auto_start now (also done at start and whenever the setting changes). */
  syncAutoStart(): Promise<void>;
}

export function createDesktopShell(deps: DesktopShellDeps): DesktopShell {
  const { worker, ports } = deps;
  const { app } = ports;
  const log = worker.log;
  const iconPath = (name: TrayIconName) =>
    path.join(deps.trayIconsDir, trayIconFile(name, ports.platform));

  // What the shell sets going (tray, bridge, listeners, subscriptions): ended, newest first, once
  // the worker has stopped. App listeners (before-quit above all) stay: quitting needs them.
  const running = new DisposableStore();
  const trayPort = ports.createTray(iconPath('idle'));
  running.add(toDisposable(() => trayPort.destroy()));

  // Its callbacks use `tray`, made below: they run only once quitting starts.
  const quit = createQuitController({
    worker,
    app,
    onPhaseChange: (phase) => {
      if (phase === 'stopping') deps.onQuitting?.();
      tray.refresh();
    },
    beforeExit: async () => {
      // One that fails to end must not keep the error reports from going or the app from exiting.
      await running.dispose().catch((error: unknown) => {
        log.error('desktop', `could not tidy up before exit: ${errorMessage(error)}`);
      });
      await deps.flushErrorReports().catch(() => undefined);
      await deps.beforeExit?.();
    },
    ...(deps.onInstallFailed ? { onInstallFailed: deps.onInstallFailed } : {}),
  });

  const window = createSettingsWindow({
    createWindow: ports.createWindow,
    renderer: deps.renderer,
    preloadPath: deps.preloadPath,
    platform: ports.platform,
    ...(deps.windowIconPath ? { iconPath: deps.windowIconPath } : {}),
    isQuitting: () => quit.isExiting(),
    openExternal: (url) => {
      ports.shell.openExternal(url).catch((error: unknown) => {
        log.warn('window', `could not open ${url}: ${errorMessage(error)}`);
      });
    },
    onLoadError: (message) => log.error('window', message),
  });

  const { commandHost, runAction, startInstall } = shellCommands(deps, quit, window);

  const tray = running.add(
    createTrayController({
      tray: trayPort,
      worker,
      iconPath,
      onAction: (action) => void runAction(action),
      quitAfterJobPending: () => quit.phase() === 'after-job',
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  // Windows users expect a click on the tray icon to open the app; elsewhere it opens the menu.
  if (ports.platform === 'win32') trayPort.onClick(() => window.show());

  app.onBeforeQuit((event) => quit.onBeforeQuit(event));
  // Closing the window hides it; the app lives on in the tray.
  app.onWindowAllClosed(() => undefined);
  // Logout and shutdown: stop claiming and get out of the way (see quit.ts).
  app.onSessionEnd(() => quit.endSession());

  running.add(
    toDisposable(serveBridge({ ipcMain: ports.ipcMain, worker, host: commandHost, window })),
  );
  running.add(followPower(ports.powerMonitor, worker));

  running.add(followNotifications(worker, ports.notifier));
  const autoStart = running.add(
    followAutoStart({ worker, app, platform: ports.platform, env: ports.env }),
  );

  if (deps.showWindow) window.show();

  return {
    window,
    tray,
    quit,
    commandHost,
    runAction,
    installUpdate: () => startInstall(),
    syncAutoStart: () => autoStart.sync(),
  };
}

/**
 * What the tray and the window may ask beyond the worker (open the logs folder, install the
 * downloaded update, quit after the job), and the tray's menu actions.
 */
function shellCommands(
  deps: DesktopShellDeps,
  quit: QuitController,
  window: SettingsWindow,
): {
  commandHost: CommandHost;
  runAction: (action: TrayAction) => Promise<void>;
  startInstall: () => Promise<void>;
} {
  const { worker, ports } = deps;
  const log = worker.log;
  const startInstall = (): Promise<void> => {
    const source = deps.updateSource;
    if (!source) return Promise.resolve();
    return (async () => {
      await deps.beforeInstall?.().catch((error: unknown) => {
        log.warn('update', `the relaunch will open the window: ${errorMessage(error)}`);
      });
      await quit.installUpdate(() => source.install());
    })();
  };

  const commandHost: CommandHost = {
    detectPorts: detectPortsOrNone(ports.env, log),
    pickModelFile: () => ports.shell.pickFile({ name: 'GGUF model', extensions: ['gguf'] }),
    async openLogsFolder() {
      const failure = await ports.shell.openPath(deps.logsDir);
      if (failure) throw new Error(`could not open the logs folder ${deps.logsDir}: ${failure}`);
    },
    async installUpdate() {
      if (!deps.updateSource) throw new Error('this build does not install updates');
      const update = worker.observers.update;
      if (update.kind !== 'ready')
        throw new Error('no update has been downloaded yet — check for updates first');
      log.info('update', `restarting to install ${update.version}`);
      // Not awaited: the answer goes back at once, the running job still gets its grace period.
      void startInstall();
    },
    async quitAfterCurrentJob() {
      quit.quitAfterCurrentJob();
    },
  };

  const runAction = async (action: TrayAction): Promise<void> => {
    switch (action.kind) {
      case 'open-window':
        window.show();
        return;
      case 'quit':
        await quit.quit();
        return;
      case 'command': {
        try {
          const result = await applyCommand(worker, commandHost, action.command);
          if (!result.ok) log.warn('tray', `${action.command.type}: ${result.error}`);
          else if (result.message) log.info('tray', result.message);
        } catch (error) {
          log.error('tray', `${action.command.type} failed: ${errorMessage(error)}`);
        }
        return;
      }
    }
  };

  return { commandHost, runAction, startInstall };
}

/** A bad STUDIO_WORKER_DETECT_PORTS is logged and detection keeps the usual ports. */
function detectPortsOrNone(
  env: Readonly<Record<string, string | undefined>>,
  log: { warn(source: string, message: string): void },
): ReturnType<typeof detectPortsFromEnv> {
  try {
    return detectPortsFromEnv(env);
  } catch (error) {
    log.warn('engines', `${errorMessage(error)} — detection uses the usual ports`);
    return {};
  }
}
