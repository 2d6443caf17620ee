// Starting the desktop app: one instance only (a second launch shows the first one's window and
// exits), the config file, the log file and error reports, then, once Electron is ready, the
// worker and the desktop shell around it. Registration runs in the background so that the tray
// is there at once, even while the studio is unreachable.
import type { ConfigStore } from '../../core/config/store.js';
import { openConfigStore } from '../../core/config/store.js';
import { configSecrets } from '../../core/config/redact.js';
import { resolveConfigPath } from '../../core/config/paths.js';
import type { Engine } from '../../core/engine/engine.js';
import type { Worker } from '../../core/runtime/worker.js';
import { errorMessage } from '../../core/runtime/studio-state.js';
import { sentryDsnFor, startErrorReports } from '../errors/error-reports.js';
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

/** electron-builder's appId: Windows groups notifications and taskbar entries by it. */
export const APP_ID = 'dev.studioworker.app';

/** How long quitting waits for queued error reports. */
const ERROR_REPORT_FLUSH_MS = 2_000;

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
}

/**
 * Starts the app; resolves to null when this launch should end at once (a second instance, or
 * a config the app cannot start with, which was shown to the user).
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
  if (ports.platform === 'darwin') app.hideDock();
  if (ports.platform === 'win32') app.setAppUserModelId(APP_ID);
  const args = parseDesktopArgs(ports.argv);

  const configPath = resolveConfigPath({
    env: ports.env,
    platform: ports.platform,
    home: app.getPath('home'),
    flag: args.config,
  });
  let store: ConfigStore;
  try {
    store = await openConfigStore(configPath);
  } catch (error) {
    const message = errorMessage(error);
    ports.fileLog.write('error', `cannot start: ${message}`);
    ports.showStartupError('Studio Worker cannot start', message);
    app.quit();
    return null;
  }
  const config = store.current();
  ports.fileLog.setLevel(config.log_level);
  const reporting = startErrorReports({
    sentry: ports.sentry,
    dsn: sentryDsnFor(ports.env, config),
    release: app.getVersion(),
    packaged: app.isPackaged,
    secrets: () => configSecrets(store.current()),
  });

  await app.whenReady();

  const updater = options.createUpdater?.() ?? null;
  const updateSource = updater
    ? createElectronUpdateSource({
        updater,
        prerelease: () => store.current().auto_update_prerelease,
      })
    : undefined;
  const worker = composeDesktopWorker({
    store,
    agentVersion: app.getVersion(),
    logSinks: [fileLogSink(ports.fileLog)],
    presence: desktopPresence(ports.powerMonitor),
    ...(updateSource ? { updateSource } : {}),
    // Called only after an update was downloaded, long after `shell` below exists.
    installUpdate: (version) => shell.installUpdate(version),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const unwatchLogLevel = store.watch(
    (next) => ports.fileLog.setLevel(next.log_level),
    // The worker reports a malformed file; nothing more to say here.
    () => undefined,
  );
  if (reporting) worker.log.info('startup', 'error reports are on (a Sentry DSN is configured)');

  const registering = new AbortController();
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
    showWindow: !args.hidden && !app.wasOpenedAtLogin(),
    flushErrorReports: async () => {
      if (reporting) await ports.sentry.flush(ERROR_REPORT_FLUSH_MS);
    },
    onQuitting: () => {
      registering.abort();
      unwatchLogLevel();
    },
  });

  await worker.start();
  worker.ensureRegistered(registering.signal).catch((error: unknown) => {
    worker.log.error(
      'register',
      `${errorMessage(error)} — set the studio URL and bootstrap token in the Studio Worker window`,
    );
  });
  return { worker, shell, store };
}
