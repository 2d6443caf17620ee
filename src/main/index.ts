// The Electron main process entry (package.json "main" → dist/main/index.js): makes the ports
// from Electron and starts the desktop app. Everything it starts lives in app/.
import { createElectronPorts } from './adapters/electron.js';
import { createElectronFileLog } from './adapters/file-log.js';
import { electronSentry } from './adapters/sentry.js';
import { createElectronUpdater } from './adapters/updater.js';
import { desktopLayout } from './app/layout.js';
import { startDesktopApp } from './app/start.js';

const fileLog = createElectronFileLog();
const ports = createElectronPorts(fileLog, electronSentry);

startDesktopApp(ports, desktopLayout(import.meta.url), {
  createUpdater: () => createElectronUpdater(fileLog),
}).catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  fileLog.write('error', `the app could not start: ${message}`);
  ports.showStartupError('Studio Worker could not start', message);
  ports.app.quit();
});
