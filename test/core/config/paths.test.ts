import { describe, expect, it } from 'vitest';
import { defaultConfigPath, resolveConfigPath } from '../../../src/core/config/paths.js';

describe('defaultConfigPath', () => {
  it('uses $XDG_CONFIG_HOME on Linux when it is set', () => {
    const env = { XDG_CONFIG_HOME: '/xdg' };
    expect(defaultConfigPath({ env, platform: 'linux', home: '/home/ada' })).toBe(
      '/xdg/studio-worker/config.toml',
    );
  });

  it('falls back to ~/.config on Linux without $XDG_CONFIG_HOME', () => {
    expect(defaultConfigPath({ env: {}, platform: 'linux', home: '/home/ada' })).toBe(
      '/home/ada/.config/studio-worker/config.toml',
    );
  });

  it('ignores a relative $XDG_CONFIG_HOME, as the XDG spec requires', () => {
    const env = { XDG_CONFIG_HOME: 'relative/dir' };
    expect(defaultConfigPath({ env, platform: 'linux', home: '/home/ada' })).toBe(
      '/home/ada/.config/studio-worker/config.toml',
    );
  });

  it('uses ~/Library/Application Support on macOS, even with $XDG_CONFIG_HOME set', () => {
    const env = { XDG_CONFIG_HOME: '/xdg' };
    expect(defaultConfigPath({ env, platform: 'darwin', home: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/studio-worker/config.toml',
    );
  });

  it('uses %APPDATA% on Windows', () => {
    const env = { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    expect(defaultConfigPath({ env, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\studio-worker\\config.toml',
    );
  });

  it('falls back to AppData\\Roaming under the home folder on Windows without %APPDATA%', () => {
    expect(defaultConfigPath({ env: {}, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\studio-worker\\config.toml',
    );
  });
});

describe('resolveConfigPath', () => {
  const base = { platform: 'linux' as const, home: '/home/ada' };

  it('prefers the --config flag over the environment variable', () => {
    const env = { STUDIO_WORKER_CONFIG: '/env/config.toml' };
    expect(resolveConfigPath({ ...base, env, flag: '/flag/config.toml' })).toBe(
      '/flag/config.toml',
    );
  });

  it('uses $STUDIO_WORKER_CONFIG when no flag is given', () => {
    const env = { STUDIO_WORKER_CONFIG: '/env/config.toml' };
    expect(resolveConfigPath({ ...base, env })).toBe('/env/config.toml');
  });

  it('uses the platform default when neither flag nor variable is set', () => {
    expect(resolveConfigPath({ ...base, env: {} })).toBe(
      '/home/ada/.config/studio-worker/config.toml',
    );
  });

  it('treats an empty flag and an empty variable as not set', () => {
    const env = { STUDIO_WORKER_CONFIG: '' };
    expect(resolveConfigPath({ ...base, env, flag: '' })).toBe(
      '/home/ada/.config/studio-worker/config.toml',
    );
  });
});
