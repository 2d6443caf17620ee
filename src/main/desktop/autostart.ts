// Start at login, following auto_start: Windows login items through Electron, a LaunchAgent on
// macOS (~/Library/LaunchAgents), and on Linux an XDG autostart entry
// (~/.config/autostart/studio-worker.desktop). Every login launch passes --hidden so the app starts
// in the tray: Electron's login items pass arguments on Windows only, and macOS 13+ no longer
// reports wasOpenedAtLogin, so on macOS only a LaunchAgent can say "this is a login launch".
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../core/files/atomic-write.js';
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

/** The LaunchAgent's label and file name (the appId, as launchd expects a reverse-DNS label). */
export const LAUNCH_AGENT_LABEL = 'dev.studioworker.app';

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A LaunchAgent that starts `executable --hidden` at login, once (no KeepAlive). */
export function launchAgentPlist(executable: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${LAUNCH_AGENT_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    `    <string>${xmlText(executable)}</string>`,
    `    <string>${HIDDEN_FLAG}</string>`,
    '  </array>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>ProcessType</key>',
    '  <string>Interactive</string>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Writes (enabled) or removes (disabled) a login file `file` with `text`. */
async function syncLoginFile(
  file: string,
  enabled: boolean,
  text: string,
): Promise<AutostartChange> {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (!enabled) {
    if (existing === null) return 'unchanged';
    await rm(file, { force: true });
    return 'removed';
  }
  if (existing === text) return 'unchanged';
  await mkdir(path.dirname(file), { recursive: true });
  // Readable by the session's launcher like any other entry; it holds no secret.
  await writeFileAtomic(file, text, { mode: 0o644, symlinks: 'follow' });
  return 'written';
}

/** Writes (enabled) or removes (disabled) the XDG autostart entry in `dir`. */
export async function syncXdgAutostart(opts: {
  dir: string;
  enabled: boolean;
  executable: string;
}): Promise<AutostartChange> {
  return syncLoginFile(
    path.join(opts.dir, AUTOSTART_FILE),
    opts.enabled,
    autostartEntry(opts.executable),
  );
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
  if (opts.platform === 'win32') {
    opts.app.setLoginItemSettings({ openAtLogin: opts.enabled, args: [HIDDEN_FLAG] });
    return 'written';
  }
  if (opts.platform === 'darwin') {
    // A login item from an earlier version would start a second, visible launch: remove it.
    opts.app.setLoginItemSettings({ openAtLogin: false, args: [] });
    const home = opts.app.getPath('home');
    return syncLoginFile(
      path.posix.join(home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`),
      opts.enabled,
      launchAgentPlist(opts.app.getPath('exe')),
    );
  }
  return syncXdgAutostart({
    dir: xdgAutostartDir(opts.env, opts.app.getPath('home')),
    enabled: opts.enabled,
    executable: appExecutable(opts.app, opts.env),
  });
}
