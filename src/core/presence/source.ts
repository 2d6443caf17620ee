// The PresenceSource port: what the OS says about the person at the machine. The desktop app
// answers from Electron's powerMonitor; the headless worker from /sys, /proc or `ps`.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PresenceSource {
  idleSeconds(): Promise<number | null>;
  onBattery(): Promise<boolean | null>;
  processes(): Promise<string[] | null>;
}

/** Linux: on battery when some power supply of type Mains exists and none is online. */
export async function linuxOnBattery(root = '/sys/class/power_supply'): Promise<boolean | null> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return null;
  }
  let mains = 0;
  for (const name of names) {
    const read = (file: string) =>
      readFile(path.join(root, name, file), 'utf8').then(
        (t) => t.trim(),
        () => '',
      );
    if ((await read('type')) !== 'Mains') continue;
    mains += 1;
    if ((await read('online')) === '1') return false;
  }
  return mains > 0 ? true : null;
}

/** Linux: process names from /proc/<pid>/comm. */
export async function linuxProcesses(root = '/proc'): Promise<string[] | null> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return null;
  }
  const names = await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map((pid) =>
        readFile(path.join(root, pid, 'comm'), 'utf8').then(
          (t) => t.trim(),
          () => '',
        ),
      ),
  );
  return names.filter((n) => n.length > 0);
}

/** macOS and other Unixes: `ps -A -o comm=`; Windows: `tasklist /fo csv /nh`. No shell. */
function listWithTool(platform: NodeJS.Platform): Promise<string[] | null> {
  const [cmd, args] =
    platform === 'win32' ? ['tasklist', ['/fo', 'csv', '/nh']] : ['ps', ['-A', '-o', 'comm=']];
  return new Promise((resolve) => {
    execFile(
      cmd,
      args as string[],
      { timeout: 3_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout) => {
        if (error) return resolve(null);
        const names = stdout
          .split(/\r?\n/)
          .map((line) =>
            platform === 'win32'
              ? (line.split('","')[0] ?? '').replace(/^"/, '')
              : path.basename(line.trim()),
          )
          .filter((n) => n.length > 0);
        resolve(names);
      },
    );
  });
}

/** The headless worker's source: no idle time (nobody sits at a server), battery and processes from the OS. */
export function createOsPresenceSource(
  platform: NodeJS.Platform = process.platform,
): PresenceSource {
  return {
    idleSeconds: async () => null,
    onBattery: async () => (platform === 'linux' ? linuxOnBattery() : null),
    processes: () => (platform === 'linux' ? linuxProcesses() : listWithTool(platform)),
  };
}
