// What the kernel says about a process: CPU time from /proc/<pid>/stat, resident memory (now and
// peak) from /proc/<pid>/status. Linux only, which is where the benchmark runs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * User + system CPU time the process has used so far, in ms (resolution: one clock tick); with
 * `children`, also that of its child processes that have ended (the tools it runs).
 */
export function cpuTimeMs(pid: number | 'self', opts: { children?: boolean } = {}): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
  // From there, utime stime cutime cstime are the 12th to 15th fields.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const [utime, stime, cutime, cstime] = fields.slice(11, 15) as [number, number, number, number];
  const ticks = utime + stime + (opts.children ? cutime + cstime : 0);
  return (ticks * 1000) / ticksPerSecond();
}

function statusField(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]) * 1024;
}

/** Resident set size now, in bytes. */
export function rssBytes(pid: number | 'self' = 'self'): number {
  return statusField(pid, 'VmRSS');
}

/** The highest resident set size since start or since resetPeakRss(), in bytes. */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  return statusField(pid, 'VmHWM');
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false where the kernel does not allow it. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return peakRssBytes() <= rssBytes() + 64 * 1024;
  } catch {
    return false;
  }
}

export const MB = 1024 * 1024;
