// AMD GPUs through the amdgpu driver's sysfs files: /sys/class/drm/cardN/device/ holds
// mem_info_vram_total and mem_info_vram_used (bytes) and gpu_busy_percent. Cheap (no process)
// but nameless unless the kernel offers product_name.
import type { GpuInfo } from '../../shared/snapshot.js';
import type { FileReader } from './files.js';
import { freeOf, gibFromBytes, textIn } from './readings.js';

export const DRM_ROOT = '/sys/class/drm';

/** A sysfs number file's value (`4294967296\n`), or null. */
export function sysfsNumber(text: string | null): number | null {
  const value = text?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

export async function readAmdSysfs(files: FileReader, root = DRM_ROOT): Promise<GpuInfo[]> {
  // cardN only: cardN-DP-1 and the like are connectors of a card, not cards.
  const cards = ((await files.list(root)) ?? [])
    .filter((name) => /^card\d+$/.test(name))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const gpus: GpuInfo[] = [];
  for (const card of cards) {
    const read = (file: string) => files.readText(`${root}/${card}/device/${file}`);
    const total = gibFromBytes(sysfsNumber(await read('mem_info_vram_total')));
    if (total === null) continue; // not an amdgpu card
    const used = gibFromBytes(sysfsNumber(await read('mem_info_vram_used')));
    gpus.push({
      index: Number(card.slice(4)),
      name: textIn((await read('product_name')) ?? undefined) ?? `AMD GPU (${card})`,
      vramTotalGb: total,
      vramUsedGb: used,
      vramFreeGb: freeOf(total, used),
      utilizationPercent: sysfsNumber(await read('gpu_busy_percent')),
      driverVersion: null,
      source: 'amd-sysfs',
    });
  }
  return gpus;
}
