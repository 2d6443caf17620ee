// Start at login, following auto_start: macOS and Windows login items through Electron, and on
// Linux an XDG autostart entry (~/.config/autostart/studio-worker.desktop). Login launches pass
// --hidden so the app starts in the tray without opening its window.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/config/atomic-write.js';
import type { AppPort } from '../ports.js';
import { HIDDEN_FLAG } from '../app/args.js';

export const AUTOSTART_FILE = 'studio-worker.desktop';

/** $XDG_CONFIG_HOME/autostart (an absolute $XDG_CONFIG_HOME only, as the spec says), else ~/.config/autostart. */
export function xdgAutostartDir(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(base, 'autostart');
}

/** One argument of an Exec line, quoted as the Desktop Entry spec asks. */
export function desktopExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\`$<>|&;*?#()~]/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

/**
 * The Exec value for a command line: each argument quoted, then every backslash doubled, since
 * the file's string escapes are undone before the Exec quoting is read.
 */
export function desktopExecLine(args: readonly string[]): string {
  return args.map(desktopExecArg).join(' ').replace(/\\/g, '\\\\');
}

/** The autostart entry that starts `executable` hidden. */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Studio Worker',
    'Comment=Runs studio jobs on this computer’s GPU',
    `Exec=${desktopExecLine([executable, HIDDEN_FLAG])}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export type AutostartChange = 'written' | 'removed' | 'unchanged';

/** Writes (enabled) or removes (disabled) the XDG autostart entry in `dir`. */
export async function syncXdgAutostart(opts: {
  dir: string;
  enabled: boolean;
  executable: string;
}): Promise<AutostartChange> {
  const file = path.join(opts.dir, AUTOSTART_FILE);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (!opts.enabled) {
    if (existing === null) return 'unchanged';
    await rm(file, { force: true });
    return 'removed';
  }
  const text = autostartEntry(opts.executable);
  if (existing === text) return 'unchanged';
  await mkdir(opts.dir, { recursive: true });
  // Readable by the session's autostart service like any other entry; it holds no secret.
  await writeFileAtomic(file, text, 0o644);
  return 'written';
}

/** What the app runs as: the AppImage file when it is one (its mount point changes per run). */
export function appExecutable(
  app: Pick<AppPort, 'getPath'>,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return env.APPIMAGE?.trim() || app.getPath('exe');
}

/** Makes the OS start the app at login, or not. Only a packaged app registers itself. */
export async function applyAutoStart(opts: {
  enabled: boolean;
  app: Pick<AppPort, 'isPackaged' | 'getPath' | 'setLoginItemSettings'>;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<AutostartChange | 'skipped-development'> {
  // A development build would register the bare Electron binary, which starts no app at all.
  if (!opts.app.isPackaged) return 'skipped-development';
  if (opts.platform === 'darwin' || opts.platform === 'win32') {
    opts.app.setLoginItemSettings({ openAtLogin: opts.enabled, args: [HIDDEN_FLAG] });
    return 'written';
  }
  return syncXdgAutostart({
    dir: xdgAutostartDir(opts.env, opts.app.getPath('home')),
    enabled: opts.enabled,
    executable: appExecutable(opts.app, opts.env),
  });
}
