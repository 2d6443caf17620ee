// electron-updater's updater for this platform (NSIS, DMG/zip, AppImage, deb, rpm), logging to
// the desktop log file. Packaged apps read the feed from app-update.yml (electron-builder writes
// it from the `publish` config); development builds use dev-app-update.yml when there is one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import electronUpdater from 'electron-updater';
import type { FileLogPort } from '../ports.js';
import type { ElectronUpdater } from '../updater/electron-update-source.js';

export const DEV_UPDATE_CONFIG = 'dev-app-update.yml';

export function createElectronUpdater(fileLog: FileLogPort): ElectronUpdater | null {
  const devConfig = path.join(app.getAppPath(), DEV_UPDATE_CONFIG);
  if (!app.isPackaged && !existsSync(devConfig)) return null;
  const updater = electronUpdater.autoUpdater;
  updater.logger = {
    info: (message?: unknown) => fileLog.write('info', `[updater] ${String(message)}`),
    warn: (message?: unknown) => fileLog.write('warn', `[updater] ${String(message)}`),
    error: (message?: unknown) => fileLog.write('error', `[updater] ${String(message)}`),
  };
  if (!app.isPackaged) updater.forceDevUpdateConfig = true;
  return updater;
}
