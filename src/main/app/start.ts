// Starting the desktop app: one instance only (a second launch shows the first one's window and
// exits), error reports before Electron's `ready` (Sentry refuses to start after it), then, once
// ready, the config file, the one-worker-per-config lock, the worker and the desktop shell around
// it. Whatever keeps the worker from starting (a malformed config, an engine that cannot be
// built, another worker on the same config) is shown in a window with what to do, never a silent
// quit. Registration runs in the background so that the tray is there at once.
import type { ConfigStore } from '../../core/config/store.js';
import { openConfigStore } from '../../core/config/store.js';
import { configSecrets } from '../../core/config/redact.js';
import { resolveConfigPath } from '../../core/config/paths.js';
import type { Engine } from '../../core/engine/engine.js';
import { acquireWorkerLock } from '../../core/runtime/instance-lock.js';
import { publishStatus, statusFolderFor } from '../../core/runtime/status-file.js';
import type { Worker } from '../../core/runtime/worker.js';
import { errorMessage } from '../../core/errors/message.js';
import { sentryDsnAtStart, startErrorReports } from '../errors/error-reports.js';
import { fileLogSink } from '../logging/file-log.js';
import type { DesktopPorts } from '../ports.js';
import type { ElectronUpdater } from '../updater/electron-update-source.js';
import { createElectronUpdateSource } from '../updater/electron-update-source.js';
import { rendererLocation } from '../window/renderer-location.js';
import { parseDesktopArgs } from './args.js';
import { composeDesktopWorker } from './compose.js';
import { desktopPresence } from '../desktop/power.js';
import type { DesktopShell } from './desktop-shell.js';
import { createDesktopShell } from './desktop-shell.js';
import type { DesktopLayout } from './layout.js';
import { consumeRelaunchMarker, writeRelaunchMarker } from './relaunch.js';

/** electron-builder's appId: Windows groups notifications and taskbar entries by it. */
export const APP_ID = 'dev.studioworker.app';

/** How long quitting waits for queued error reports. */
const ERROR_REPORT_FLUSH_MS = 2_000;

/** What the lock file says holds the config. */
export const TRAY_APP_HOLDER = 'the Studio Worker tray app';

export interface DesktopApp {
  worker: Worker;
  shell: DesktopShell;
  store: ConfigStore;
}

export interface StartOptions {
  /** electron-updater's updater for this platform, or null where this build has no feed. */
  createUpdater?: () => ElectronUpdater | null;
  /** Tests replace the configured engine. */
  engine?: Engine;
  /** Called with the new app when a failed update install brought the worker back. */
  onRestarted?: (app: DesktopApp) => void;
}

type Attempt = { kind: 'started'; app: DesktopApp } | { kind: 'problem'; message: string };

/**
 * Starts the app; resolves to null when this launch ends (a second instance, or the user chose
 * to quit when shown why the worker cannot start).
 * Long on purpose (over 120 lines): start-up is one sequence whose named steps (startWorker,
 * restartAfterFailedInstall, attempt) share this launch's state — the current app, whether a
 * second launch asked for the window, the store the error reports scrub secrets with.
 */
export async function startDesktopApp(
  ports: DesktopPorts,
  layout: DesktopLayout,
  options: StartOptions = {},
): Promise<DesktopApp | null> {
  const { app } = ports;
  if (!app.requestSingleInstanceLock()) {
    // The running instance hears 'second-instance' and shows its window.
    app.quit();
    return null;
  }
  // Heard from the first turn on: a launch during start-up shows the window once there is one.
  let current: DesktopApp | null = null;
  let showWhenStarted = false;
  app.onSecondInstance(() => {
    if (current) current.shell.window.show();
    else showWhenStarted = true;
  });
  if (ports.platform === 'darwin') app.hideDock();
  if (ports.platform === 'win32') app.setAppUserModelId(APP_ID);
  const args = parseDesktopArgs(ports.argv);
  const configPath = resolveConfigPath({
    env: ports.env,
    platform: ports.platform,
    home: app.getPath('home'),
    flag: args.config,
  });

  // Before Electron's ready, hence synchronous: @sentry/electron throws once ready has fired.
  let store: ConfigStore | null = null;
  const reporting = startErrorReports({
    sentry: ports.sentry,
    dsn: sentryDsnAtStart(ports.env, configPath),
    release: app.getVersion(),
    packaged: app.isPackaged,
    secrets: () => (store ? configSecrets(store.current()) : []),
  });

  await app.whenReady();
  // A login launch (--hidden, macOS's report) or the relaunch after an update stays in the tray.
  const relaunched = await consumeRelaunchMarker(app.getPath('userData'));
  let showWindow = !args.hidden && !app.wasOpenedAtLogin() && !relaunched;

  const startWorker = async (
    opened: ConfigStore,
    release: () => Promise<void>,
  ): Promise<DesktopApp> => {
    const config = opened.current();
    ports.fileLog.setLevel(config.log_level);
    const updater = options.createUpdater?.() ?? null;
    const updateSource = updater
      ? createElectronUpdateSource({
          updater,
          prerelease: () => opened.current().auto_update_prerelease,
        })
      : undefined;
    // The shell is made after the worker; the worker calls installUpdate only long after that.
    const late: { shell?: DesktopShell } = {};
    const worker = composeDesktopWorker({
      store: opened,
      agentVersion: app.getVersion(),
      logSinks: [fileLogSink(ports.fileLog)],
      presence: desktopPresence(ports.powerMonitor),
      ...(updateSource ? { updateSource } : {}),
      installUpdate: (version) => late.shell?.installUpdate(version) ?? Promise.resolve(),
      ...(options.engine ? { engine: options.engine } : {}),
    });
    const unwatchLogLevel = opened.watch(
      (next) => ports.fileLog.setLevel(next.log_level),
      // The worker reports a malformed file; nothing more to say here.
      () => undefined,
    );
    if (reporting) worker.log.info('startup', 'error reports are on (a Sentry DSN is configured)');
    const registering = new AbortController();
    let stopPublishing: (() => Promise<void>) | null = null;
    let installing = false;
    // Before the shell: a worker that cannot start leaves no tray or bridge behind.
    await worker.start();
    const shell = createDesktopShell({
      ports,
      worker,
      renderer: rendererLocation({
        packaged: app.isPackaged,
        env: ports.env,
        builtIndexUrl: layout.rendererIndexUrl,
      }),
      preloadPath: layout.preloadPath,
      trayIconsDir: layout.trayIconsDir,
      windowIconPath: layout.windowIconPath,
      logsDir: ports.fileLog.dir,
      ...(updateSource ? { updateSource } : {}),
      showWindow: showWindow || showWhenStarted,
      flushErrorReports: async () => {
        if (reporting) await ports.sentry.flush(ERROR_REPORT_FLUSH_MS);
      },
      onQuitting: () => {
        registering.abort();
        unwatchLogLevel();
      },
      beforeExit: async () => {
        await stopPublishing?.();
        // The lock stays held through an install: the relaunched app takes it over (stale pid).
        if (!installing) await release();
      },
      beforeInstall: async () => {
        installing = true;
        await writeRelaunchMarker(app.getPath('userData'));
      },
      onInstallFailed: (message) => void restartAfterFailedInstall(opened, release, message),
    });
    late.shell = shell;
    showWhenStarted = false;
    stopPublishing = publishStatus(
      statusFolderFor(opened.current(), opened.path),
      worker.observers,
    );
    worker.ensureRegistered(registering.signal).catch((error: unknown) => {
      worker.log.error(
        'register',
        `${errorMessage(error)} — set the studio URL and bootstrap token in the Studio Worker window`,
      );
    });
    return { worker, shell, store: opened };
  };

  /** The installer did not take over: bring the tray and the worker back and say so. */
  const restartAfterFailedInstall = async (
    opened: ConfigStore,
    release: () => Promise<void>,
    message: string,
  ) => {
    await consumeRelaunchMarker(app.getPath('userData'));
    showWindow = false;
    try {
      current = await startWorker(opened, release);
    } catch (error) {
      ports.fileLog.write(
        'error',
        `could not restart after the failed install: ${errorMessage(error)}`,
      );
      ports.showStartupError('Studio Worker stopped', errorMessage(error));
      app.quit();
      return;
    }
    const text = `The update could not be installed (${message}); Studio Worker keeps running this version.`;
    current.worker.log.error('update', text);
    if (ports.notifier.isSupported()) ports.notifier.show({ title: 'Update failed', body: text });
    options.onRestarted?.(current);
  };

  const attempt = async (): Promise<Attempt> => {
    let opened: ConfigStore;
    try {
      opened = await openConfigStore(configPath);
    } catch (error) {
      return { kind: 'problem', message: errorMessage(error) };
    }
    const lock = await acquireWorkerLock(opened.path, TRAY_APP_HOLDER, {
      folder: statusFolderFor(opened.current(), opened.path),
    }).catch((error: unknown) => ({
      kind: 'failed' as const,
      message: errorMessage(error),
    }));
    if (lock.kind !== 'acquired') return { kind: 'problem', message: lock.message };
    store = opened;
    try {
      return { kind: 'started', app: await startWorker(opened, lock.release) };
    } catch (error) {
      await lock.release();
      return { kind: 'problem', message: errorMessage(error) };
    }
  };

  for (;;) {
    const outcome = await attempt();
    if (outcome.kind === 'started') {
      current = outcome.app;
      return current;
    }
    ports.fileLog.write('error', `cannot start: ${outcome.message}`);
    const problem = { title: 'Studio Worker cannot start', message: outcome.message, configPath };
    let choice = await ports.showStartupProblem(problem);
    while (choice === 'open-config') {
      const failure = await ports.shell.openPath(configPath);
      if (failure) ports.fileLog.write('warn', `could not open ${configPath}: ${failure}`);
      choice = await ports.showStartupProblem(problem);
    }
    if (choice === 'quit') {
      app.quit();
      return null;
    }
  }
}
