// Which tray icon a state shows, and which file that is on each platform. Pure: the icons
// themselves are generated from assets/tray-icon.svg by scripts/generate-icons.mjs.
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { headlineOf } from '../../shared/health.js';

export const TRAY_ICON_NAMES = ['idle', 'working', 'paused', 'offline', 'update'] as const;
export type TrayIconName = (typeof TRAY_ICON_NAMES)[number];

/**
 * The icon follows the one headline (src/shared/health.ts): a job in hand shows working, any
 * error level or a missing registration the problem icon, then a downloaded update waiting to
 * install, then idle, and everything else that keeps the worker from claiming paused.
 */
export function trayIconFor(s: WorkerSnapshot): TrayIconName {
  const { state, level } = headlineOf(s);
  if (state.kind === 'working' || state.kind === 'pausing') return 'working';
  if (state.kind === 'stopping') return s.currentJob ? 'working' : 'paused';
  if (level === 'error' || state.kind === 'not-registered') return 'offline';
  if (s.update.kind === 'ready') return 'update';
  return state.kind === 'idle' ? 'idle' : 'paused';
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
