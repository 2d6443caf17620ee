// macOS GPUs from `system_profiler SPDisplaysDataType`. The worker asks for -json and reads the
// documented keys (sppci_model, spdisplays_vram, spdisplays_vram_shared); the plain-text form
// (`Chipset Model:`, `VRAM (Total):`) is read too, for systems whose system_profiler has no -json.
// Apple Silicon has no VRAM figure at all: its GPU uses the machine's RAM (unified memory), so
// the RAM is reported, marked as unified.
import type { GpuInfo } from '../../shared/snapshot.js';
import { round2 } from './readings.js';

export const SYSTEM_PROFILER_ARGS: readonly string[] = ['SPDisplaysDataType', '-json'];

/** `16 GB`, `1536 MB` (system_profiler's sizes are binary) in GiB; null otherwise. */
export function macSizeGb(text: string | undefined): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(MB|GB|TB)$/i.exec(text?.trim() ?? '');
  if (!match) return null;
  const factor = { MB: 1 / 1024, GB: 1, TB: 1024 }[match[2]!.toUpperCase() as 'MB' | 'GB' | 'TB'];
  return round2(Number(match[1]) * factor);
}

interface MacGpu {
  name: string;
  /** Dedicated VRAM (`spdisplays_vram`, `VRAM (Total)`). */
  vram: string | undefined;
  /** Shared system memory an integrated GPU may use (`spdisplays_vram_shared`, `VRAM (Dynamic, Max)`). */
  shared: string | undefined;
}

function gpuOf(gpu: MacGpu, index: number, ramGb: number): GpuInfo {
  const dedicated = macSizeGb(gpu.vram);
  const shared = macSizeGb(gpu.shared);
  return {
    index,
    name: gpu.name,
    vramTotalGb: dedicated ?? shared ?? round2(ramGb),
    vramUsedGb: null,
    vramFreeGb: null,
    utilizationPercent: null,
    driverVersion: null,
    source: 'macos',
    ...(dedicated === null ? { unifiedMemory: true } : {}),
  };
}

/** The GPUs in `system_profiler SPDisplaysDataType -json`; null when the text is not that JSON. */
export function parseSystemProfilerJson(text: string, ramGb: number): GpuInfo[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const items = (parsed as { SPDisplaysDataType?: unknown } | null)?.SPDisplaysDataType;
  if (!Array.isArray(items)) return null;
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return items
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({
      name: str(item.sppci_model) ?? str(item._name) ?? 'GPU',
      vram: str(item.spdisplays_vram),
      shared: str(item.spdisplays_vram_shared),
    }))
    .map((gpu, i) => gpuOf(gpu, i, ramGb));
}

/**
 * The GPUs in plain-text `system_profiler SPDisplaysDataType`: each `Chipset Model:` starts a
 * GPU; the VRAM lines after it belong to it.
 */
export function parseSystemProfilerText(text: string, ramGb: number): GpuInfo[] {
  const found: MacGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([^:]+):\s*(.*)$/.exec(line);
    const key = match?.[1]?.trim();
    const value = match?.[2]?.trim() ?? '';
    const current = found.at(-1);
    if (key === 'Chipset Model' && value)
      found.push({ name: value, vram: undefined, shared: undefined });
    else if (current && (key === 'VRAM (Total)' || key === 'VRAM')) current.vram = value;
    else if (current && key?.startsWith('VRAM (Dynamic')) current.shared = value;
  }
  return found.map((gpu, i) => gpuOf(gpu, i, ramGb));
}

/** Whichever form system_profiler printed. */
export function parseSystemProfiler(text: string, ramGb: number): GpuInfo[] {
  return parseSystemProfilerJson(text, ramGb) ?? parseSystemProfilerText(text, ramGb);
}
