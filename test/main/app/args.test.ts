import { describe, expect, it } from 'vitest';
import { parseDesktopArgs } from '../../../src/main/app/args.js';
import { desktopLayout } from '../../../src/main/app/layout.js';

describe('parseDesktopArgs', () => {
  it('finds --hidden and --config among Electron’s own arguments', () => {
    expect(parseDesktopArgs(['/usr/bin/electron', '.', '--hidden'])).toEqual({
      hidden: true,
      config: undefined,
    });
    expect(parseDesktopArgs(['app', '--config', '/tmp/c.toml', '--no-sandbox'])).toEqual({
      hidden: false,
      config: '/tmp/c.toml',
    });
    expect(parseDesktopArgs(['app', '--config=/tmp/d.toml']).config).toBe('/tmp/d.toml');
  });
});

describe('desktopLayout', () => {
  it('finds preload, page and icons relative to the built main entry', () => {
    expect(desktopLayout('file:///opt/sw/resources/app.asar/dist/main/index.js')).toEqual({
      preloadPath: '/opt/sw/resources/app.asar/dist/preload/index.cjs',
      rendererIndexUrl: 'file:///opt/sw/resources/app.asar/dist/renderer/index.html',
      trayIconsDir: '/opt/sw/resources/app.asar/assets/tray/',
      windowIconPath: '/opt/sw/resources/app.asar/assets/icon.png',
    });
  });
});
