// Where the built app's pieces are, from the main bundle's own URL (dist/main/index.js): the
// preload next to it, the Vite-built page, and the tray icons in assets/ (packed into the asar).
import { fileURLToPath } from 'node:url';

export interface DesktopLayout {
  preloadPath: string;
  /** file:// URL of dist/renderer/index.html. */
  rendererIndexUrl: string;
  trayIconsDir: string;
  windowIconPath: string;
}

export function desktopLayout(mainModuleUrl: string): DesktopLayout {
  const at = (relative: string) => new URL(relative, mainModuleUrl);
  return {
    preloadPath: fileURLToPath(at('../preload/index.cjs')),
    rendererIndexUrl: at('../renderer/index.html').href,
    trayIconsDir: fileURLToPath(at('../../assets/tray/')),
    windowIconPath: fileURLToPath(at('../../assets/icon.png')),
  };
}
