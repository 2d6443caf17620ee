// NVIDIA's /proc interface: one `information` file per GPU under /proc/driver/nvidia/gpus/.
// It names the GPU but has no memory line (NVIDIA's procinterface README defines none), so a
// GPU found here has unknown VRAM: this is the fallback when nvidia-smi is missing or broken.
import type { GpuInfo } from '../../shared/snapshot.js';
import type { FileReader } from './files.js';
import { numberIn, textIn } from './readings.js';

export const NVIDIA_PROC_GPUS = '/proc/driver/nvidia/gpus';

/** `Key: \t\t value` lines, keys as written. */
function fieldsOf(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) fields.set(match[1].trim(), match[2].trim());
  }
  return fields;
}

/** One GPU from its `information` file, or null when the file names no model. */
export function parseNvidiaProcInformation(text: string, position: number): GpuInfo | null {
  const fields = fieldsOf(text);
  const name = textIn(fields.get('Model'));
  if (name === null) return null;
  return {
    index: numberIn(fields.get('Device Minor')) ?? position,
    name,
    vramTotalGb: null,
    vramUsedGb: null,
    vramFreeGb: null,
    utilizationPercent: null,
    driverVersion: null,
    source: 'nvidia-proc',
  };
}

export async function readNvidiaProc(
  files: FileReader,
  root = NVIDIA_PROC_GPUS,
): Promise<GpuInfo[]> {
  const gpus: GpuInfo[] = [];
  for (const bus of ((await files.list(root)) ?? []).sort()) {
    const text = await files.readText(`${root}/${bus}/information`);
    const gpu = text === null ? null : parseNvidiaProcInformation(text, gpus.length);
    if (gpu) gpus.push(gpu);
  }
  return gpus;
}
