// Where config.toml lives: the --config flag, else $STUDIO_WORKER_CONFIG, else the platform's
// per-user config folder. Pure: the environment, platform and home folder are passed in.
import path from 'node:path';

export const CONFIG_PATH_ENV = 'STUDIO_WORKER_CONFIG';

const APP_DIR = 'studio-worker';
const CONFIG_FILE = 'config.toml';

export interface ConfigLocationInputs {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  home: string;
}

/** The per-user default: XDG (Linux and other Unixes), Application Support (macOS), %APPDATA% (Windows). */
export function defaultConfigPath({ env, platform, home }: ConfigLocationInputs): string {
  switch (platform) {
    case 'win32': {
      // Join with win32 rules whatever the host, so the result is right when tests run on Linux.
      const appData = nonEmpty(env.APPDATA) ?? path.win32.join(home, 'AppData', 'Roaming');
      return path.win32.join(appData, APP_DIR, CONFIG_FILE);
    }
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', APP_DIR, CONFIG_FILE);
    default: {
      // The XDG spec says a relative $XDG_CONFIG_HOME is invalid and must be ignored.
      const xdg = nonEmpty(env.XDG_CONFIG_HOME);
      const base =
        xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
      return path.posix.join(base, APP_DIR, CONFIG_FILE);
    }
  }
}

/** The config file to use: `--config <path>`, else $STUDIO_WORKER_CONFIG, else the default. */
export function resolveConfigPath(
  inputs: ConfigLocationInputs & { flag?: string | undefined },
): string {
  return (
    nonEmpty(inputs.flag) ?? nonEmpty(inputs.env[CONFIG_PATH_ENV]) ?? defaultConfigPath(inputs)
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
