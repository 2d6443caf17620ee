// How the window writes ages, clock times, sizes and GB figures.

/** `3 s ago`, `4 min ago`, `2 h ago`. */
export function formatAge(ms: number): string {
  const secs = Math.max(0, Math.round(ms / 1000));
  if (secs < 60) return `${secs} s ago`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  return `${Math.floor(mins / 60)} h ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local `hh:mm` of an ISO time. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local `hh:mm:ss` of an ISO time. */
export function clockTimeSeconds(iso: string): string {
  const d = new Date(iso);
  return `${clockTime(iso)}:${pad(d.getSeconds())}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `12 GB`, `7.5 GB`: at most one decimal. */
export function formatGb(gb: number): string {
  return `${Number(gb.toFixed(1))} GB`;
}
