// Windows video controllers (Win32_VideoController) when nvidia-smi is not there: PowerShell's
// Get-CimInstance in list form, or wmic's table on systems that still have it. AdapterRAM is a
// uint32, so every card with 4 GiB or more reports the cap 4293918720 (or -1048576 when read
// as signed): such a value means "at least 4 GB, exact size unknown" and is reported as unknown.
import type { GpuInfo } from '../../shared/snapshot.js';
import { gibFromBytes, numberIn, textIn } from './readings.js';

const CIM_QUERY =
  'Get-CimInstance Win32_VideoController | Format-List Name,AdapterRAM,DriverVersion';

export const POWERSHELL_ARGS: readonly string[] = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  CIM_QUERY,
];

export const WMIC_ARGS: readonly string[] = [
  'path',
  'Win32_VideoController',
  'get',
  'Name,AdapterRAM,DriverVersion',
];

/** The uint32 ceiling Windows reports for AdapterRAM on cards of 4 GiB and more. */
export const ADAPTER_RAM_CAP = 4293918720;

export type AdapterRam = { kind: 'exact'; gb: number } | { kind: 'capped' } | { kind: 'unknown' };

export function adapterRam(value: number | null): AdapterRam {
  if (value === null) return { kind: 'unknown' };
  // The cap itself, anything above it, or the cap read as a signed int32 (negative).
  if (value >= ADAPTER_RAM_CAP || value < 0) return { kind: 'capped' };
  return { kind: 'exact', gb: gibFromBytes(value) ?? 0 };
}

type Controller = Record<string, string>;

/** `Name : AMD Radeon RX 9070 XT` blocks, separated by blank lines (Format-List). */
function fromList(text: string): Controller[] {
  const controllers: Controller[] = [];
  let current: Controller | null = null;
  for (const line of text.split(/\r?\n/)) {
    const match = /^(\w+)\s*:\s?(.*)$/.exec(line);
    if (!match?.[1]) {
      if (line.trim() === '') current = null;
      continue;
    }
    if (!current) controllers.push((current = {}));
    current[match[1]] = (match[2] ?? '').trim();
  }
  return controllers;
}

/**
 * A column table (wmic, or PowerShell's Format-Table): a header line, perhaps a line of dashes,
 * then rows whose values start where their column's name starts.
 */
function fromTable(text: string): Controller[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined) return [];
  const columns = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines
    .slice(1)
    .filter((line) => !/^[\s-]+$/.test(line))
    .map((line) => {
      const row: Controller = {};
      columns.forEach((column, i) => {
        row[column.name] = line.slice(column.at, columns[i + 1]?.at ?? line.length).trim();
      });
      return row;
    });
}

/** Whichever form was printed: list (`Key : value`) or table. */
export function parseVideoControllers(text: string): Controller[] {
  return /^\w+\s+:\s/m.test(text) ? fromList(text) : fromTable(text);
}

/**
 * The GPUs among the controllers, and a note for each whose VRAM Windows could not tell.
 * Microsoft's own adapters (Basic Display, Remote Display, Hyper-V) are not GPUs and are left out.
 */
export function videoControllerGpus(controllers: Controller[]): {
  gpus: GpuInfo[];
  notes: string[];
} {
  const gpus: GpuInfo[] = [];
  const notes: string[] = [];
  for (const controller of controllers) {
    const name = textIn(controller.Name) ?? 'video controller';
    if (name.startsWith('Microsoft ')) continue;
    const ram = adapterRam(numberIn(controller.AdapterRAM));
    if (ram.kind === 'capped')
      notes.push(
        `${name}: Windows reports at most 4 GB (AdapterRAM is 32-bit); its VRAM is at least 4 GB, exact size unknown`,
      );
    gpus.push({
      index: gpus.length,
      name,
      vramTotalGb: ram.kind === 'exact' ? ram.gb : null,
      vramUsedGb: null,
      vramFreeGb: null,
      utilizationPercent: null,
      driverVersion: textIn(controller.DriverVersion),
      source: 'windows',
    });
  }
  return { gpus, notes };
}
