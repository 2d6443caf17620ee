// The processes using each NVIDIA GPU and their memory, from
// `nvidia-smi --query-compute-apps=pid,process_name,used_memory,gpu_uuid --format=csv,noheader,nounits`.
// Admission reads it to count the memory an engine's own process keeps between jobs (a resident
// model) as free for that engine's next job.
import { nvidiaSmiCells } from './nvidia-smi.js';
import { gibFromMib, numberIn, textIn } from './readings.js';

export const COMPUTE_APPS_ARGS: readonly string[] = [
  '--query-compute-apps=pid,process_name,used_memory,gpu_uuid',
  '--format=csv,noheader,nounits',
];

export interface ComputeApp {
  pid: number;
  processName: string;
  /** GiB this process holds on the GPU; null when the driver does not say ([N/A] under WDDM). */
  usedGb: number | null;
  gpuUuid: string;
}

/**
 * The rows of that query. A line that is not one (a header, "No running processes found", a
 * pid that is not a positive integer) is skipped, so output of anything else yields [].
 */
export function parseComputeApps(text: string): ComputeApp[] {
  const apps: ComputeApp[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = nvidiaSmiCells(line);
    if (cells.length < 4) continue;
    // A process name may itself hold commas: it is everything between the pid and the last two.
    const [pidCell, usedCell, uuidCell] = [cells[0], cells.at(-2), cells.at(-1)];
    const nameCell = cells.slice(1, -2).join(',');
    const pid = numberIn(pidCell);
    if (pid === null || !Number.isSafeInteger(pid) || pid <= 0) continue;
    const used = numberIn(usedCell);
    apps.push({
      pid,
      processName: textIn(nameCell) ?? '',
      usedGb: used !== null && used >= 0 ? gibFromMib(used) : null,
      gpuUuid: textIn(uuidCell) ?? '',
    });
  }
  return apps;
}

/** GiB the given processes hold, summed over every GPU; 0 when none is listed. */
export function heldByProcesses(apps: readonly ComputeApp[], pids: readonly number[]): number {
  const wanted = new Set(pids);
  return apps.filter((app) => wanted.has(app.pid)).reduce((sum, app) => sum + (app.usedGb ?? 0), 0);
}
