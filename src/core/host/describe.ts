// GPUs in words: one line for the log when the detected GPUs change, and one line per GPU for
// `studio-worker status`. Only what stays put goes in the log line (names and sizes, not free
// VRAM or utilisation), so it is written when the hardware changes, not on every probe.
import type { GpuInfo } from '../../shared/snapshot.js';
import type { HostInfo } from './host.js';

function sizeOf(gpu: GpuInfo): string {
  if (gpu.vramTotalGb === null) return 'VRAM unknown';
  return gpu.unifiedMemory
    ? `${gpu.vramTotalGb} GB unified memory, shared with the system`
    : `${gpu.vramTotalGb} GB VRAM`;
}

/** `GPU: 2× NVIDIA GeForce RTX 3090 (24 GB VRAM) via nvidia-smi`, or why none was found. */
export function describeGpus(host: Pick<HostInfo, 'gpus' | 'gpuNotes'>): string {
  const notes = host.gpuNotes.length > 0 ? ` — ${host.gpuNotes.join('; ')}` : '';
  if (host.gpus.length === 0) return `no GPU detected${notes}`;
  const counts = new Map<string, number>();
  for (const gpu of host.gpus) {
    const label = `${gpu.name} (${sizeOf(gpu)})`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const list = [...counts].map(([label, n]) => (n > 1 ? `${n}× ${label}` : label)).join(', ');
  return `GPU: ${list} via ${host.gpus[0]?.source ?? 'unknown'}${notes}`;
}

/** `NVIDIA GeForce RTX 3090: 24 GB VRAM, 23.9 GB free, 0% busy, driver 560.35.03` */
export function formatGpu(gpu: GpuInfo): string {
  const parts = [sizeOf(gpu)];
  if (gpu.vramFreeGb !== null) parts.push(`${gpu.vramFreeGb} GB free`);
  if (gpu.utilizationPercent !== null) parts.push(`${gpu.utilizationPercent}% busy`);
  if (gpu.driverVersion !== null) parts.push(`driver ${gpu.driverVersion}`);
  return `${gpu.name}: ${parts.join(', ')}`;
}

/** The GPU lines of `studio-worker status`, aligned with its other lines. */
export function formatGpuLines(gpus: readonly GpuInfo[], notes: readonly string[] = []): string[] {
  const label = 'GPUs:           ';
  const indent = ' '.repeat(label.length);
  const lines =
    gpus.length === 0
      ? [`${label}none detected`]
      : gpus.map((gpu, i) => `${i === 0 ? label : indent}GPU ${gpu.index}: ${formatGpu(gpu)}`);
  return [...lines, ...notes.map((note) => `${indent}(${note})`)];
}
