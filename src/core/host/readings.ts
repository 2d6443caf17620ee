// How driver tools write what they measured: the many spellings of "not available", numbers
// with units after them, and sizes in MiB or bytes that the worker reports in GiB.
import type { GpuInfo } from '../../shared/snapshot.js';

/**
 * `[N/A]`, `N/A`, `[Not Supported]`, `[Requested functionality has been deprecated]`,
 * `[Unknown Error]` and empty cells: the tool could not tell.
 */
export function isUnavailable(raw: string): boolean {
  const value = raw.trim();
  return value === '' || /^\[.*\]$/.test(value) || /^n\/a$/i.test(value);
}

/** The text of a cell, or null when the tool could not tell. */
export function textIn(raw: string | undefined): string | null {
  return raw === undefined || isUnavailable(raw) ? null : raw.trim();
}

/** The number in a cell, ignoring a unit after it (`8192 MiB`, `37 %`); null otherwise. */
export function numberIn(raw: string | undefined): number | null {
  if (raw === undefined || isUnavailable(raw)) return null;
  const match = /^(-?\d+(?:\.\d+)?)(?:\s*[A-Za-z%]+)?$/.exec(raw.trim());
  return match ? Number(match[1]) : null;
}

/** Rounded to 0.01: enough for GiB, and stable in snapshots and logs. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function gibFromMib(mib: number | null): number | null {
  return mib === null ? null : round2(mib / 1024);
}

export function gibFromBytes(bytes: number | null): number | null {
  return bytes === null ? null : round2(bytes / 1024 ** 3);
}

/** Free = total − used, for tools that report only those two (AMD). */
export function freeOf(totalGb: number | null, usedGb: number | null): number | null {
  return totalGb === null || usedGb === null ? null : round2(Math.max(0, totalGb - usedGb));
}

/**
 * VRAM summed over the GPUs: the total over those that report one (0 when none does, as the
 * protocol's vramTotalGb wants), and the free VRAM over those that report it (null when none).
 */
export function sumVram(gpus: readonly GpuInfo[]): {
  vramTotalGb: number;
  vramFreeGb: number | null;
} {
  let total = 0;
  let free: number | null = null;
  for (const gpu of gpus) {
    total += gpu.vramTotalGb ?? 0;
    if (gpu.vramFreeGb !== null) free = (free ?? 0) + gpu.vramFreeGb;
  }
  return { vramTotalGb: round2(total), vramFreeGb: free === null ? null : round2(free) };
}
