// Which tray icon a state shows, and which file that is on each platform. Pure: the icons
// themselves are generated from assets/tray-icon.svg by scripts/generate-icons.mjs.
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { workerStatusOf } from '../../shared/worker-status.js';

export const TRAY_ICON_NAMES = ['idle', 'working', 'paused', 'offline', 'update'] as const;
export type TrayIconName = (typeof TRAY_ICON_NAMES)[number];

/**
 * Problems first (offline, credentials rejected, not registered), then a running job, then a
 * downloaded update waiting to install, then anything that keeps the worker from claiming.
 */
export function trayIconFor(s: WorkerSnapshot): TrayIconName {
  const status = workerStatusOf(s);
  switch (status.kind) {
    case 'credentials-rejected':
    case 'offline':
    case 'unregistered':
      return 'offline';
    case 'running':
      return 'working';
    case 'stopping':
      return status.job ? 'working' : 'paused';
    case 'draining':
    case 'disabled':
    case 'snoozed':
    case 'paused':
    case 'idle':
      if (s.update.kind === 'ready') return 'update';
      return status.kind === 'idle' ? 'idle' : 'paused';
  }
}

/**
 * The icon file for a platform: macOS gets template images (black and alpha, tinted by the
 * menu bar; Electron picks the @2x file itself), Windows a multi-size ICO, Linux a PNG.
 */
export function trayIconFile(name: TrayIconName, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return `${name}Template.png`;
    case 'win32':
      return `${name}.ico`;
    default:
      return `${name}.png`;
  }
}
