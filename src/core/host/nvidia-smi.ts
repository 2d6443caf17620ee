// nvidia-smi's csv output read into GpuInfo. The worker asks for exactly NVIDIA_SMI_FIELDS
// (noheader, nounits); the parser also reads output with a header line (field names, units in
// brackets) and values with units, so it can be checked against real captures of other queries.
import type { GpuInfo } from '../../shared/snapshot.js';
import { gibFromMib, numberIn, textIn } from './readings.js';

export const NVIDIA_SMI_FIELDS = [
  'index',
  'name',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'driver_version',
] as const;

export const NVIDIA_SMI_ARGS: readonly string[] = [
  `--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];

/** One csv line as nvidia-smi writes it: `, `-separated cells, trimmed. */
export function nvidiaSmiCells(line: string): string[] {
  return line.split(',').map((cell) => cell.trim());
}

/** `memory.used [MiB]` and friends: a field name, perhaps with its unit. */
const HEADER_CELL = /^([a-z_][a-z0-9_.]*)(?: \[[^\]]+\])?$/i;

/** The field names of a header line (one naming a field we read), or null when it is not one. */
function headerFields(cells: string[]): string[] | null {
  const names = cells.map((cell) => HEADER_CELL.exec(cell)?.[1]);
  if (!names.every((name): name is string => name !== undefined)) return null;
  return names.some((name) => (NVIDIA_SMI_FIELDS as readonly string[]).includes(name))
    ? names
    : null;
}

/**
 * The GPUs in `--query-gpu` csv output. `fields` names the columns when there is no header
 * line. A line that is not a row of that query (wrong number of cells, an index that is not a
 * number, a name that is not a name) is skipped, so a tool that prints something else yields [].
 */
export function parseNvidiaSmiCsv(
  text: string,
  fields: readonly string[] = NVIDIA_SMI_FIELDS,
): GpuInfo[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const first = lines[0] === undefined ? null : headerFields(nvidiaSmiCells(lines[0]));
  const columns = first ?? fields;
  const rows = first ? lines.slice(1) : lines;
  const gpus: GpuInfo[] = [];
  for (const line of rows) {
    const cells = nvidiaSmiCells(line);
    if (cells.length !== columns.length) continue;
    const cell = (field: string) => {
      const at = columns.indexOf(field);
      return at < 0 ? undefined : cells[at];
    };
    const gpu = gpuOf(cell, gpus.length);
    if (gpu) gpus.push(gpu);
  }
  return gpus;
}

function gpuOf(cell: (field: string) => string | undefined, position: number): GpuInfo | null {
  const indexCell = cell('index');
  const index = indexCell === undefined ? position : numberIn(indexCell);
  if (index === null || !Number.isInteger(index) || index < 0) return null;
  const nameCell = cell('name');
  const name = textIn(nameCell);
  if (nameCell !== undefined && (name === null || !/[a-z]/i.test(name))) return null;
  return {
    index,
    name: name ?? 'NVIDIA GPU',
    vramTotalGb: gibFromMib(numberIn(cell('memory.total'))),
    vramUsedGb: gibFromMib(numberIn(cell('memory.used'))),
    vramFreeGb: gibFromMib(numberIn(cell('memory.free'))),
    utilizationPercent: numberIn(cell('utilization.gpu')),
    driverVersion: textIn(cell('driver_version')),
    source: 'nvidia-smi',
  };
}
