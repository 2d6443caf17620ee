// The probes that read files instead of running tools: NVIDIA's /proc interface and amdgpu's
// sysfs, against the real files in test/fixtures.
import { describe, expect, it } from 'vitest';
import { readAmdSysfs, sysfsNumber } from '../../../src/core/host/amd-sysfs.js';
import { parseNvidiaProcInformation, readNvidiaProc } from '../../../src/core/host/nvidia-proc.js';
import { fakeFiles } from './fake-files.js';
import { fixture } from './fixtures.js';

const L4 = fixture('nvidia-proc/snapd-pr14893-l4-information.txt');
const RX570_VRAM = fixture('amd/sysfs-mem_info_vram_total-rx570.txt');

describe('NVIDIA /proc information', () => {
  it('names the GPU from the Model line and leaves its memory unknown (L4)', () => {
    expect(parseNvidiaProcInformation(L4, 3)).toEqual({
      index: 0, // Device Minor
      name: 'NVIDIA L4',
      vramTotalGb: null,
      vramUsedGb: null,
      vramFreeGb: null,
      utilizationPercent: null,
      driverVersion: null,
      source: 'nvidia-proc',
    });
  });

  it("reads a newer driver's file with a GPU Firmware line (H200, driver 580)", () => {
    const h200 = fixture('nvidia-proc/studio-worker-device-h200-information.txt');
    expect(parseNvidiaProcInformation(h200, 0)).toMatchObject({
      index: 0,
      name: 'NVIDIA H200',
      vramTotalGb: null,
    });
  });

  it('finds nothing in a file without a Model line', () => {
    expect(parseNvidiaProcInformation('IRQ:   \t\t 16\n', 0)).toBeNull();
    expect(parseNvidiaProcInformation('', 0)).toBeNull();
  });

  it('reads one information file per bus under /proc/driver/nvidia/gpus', async () => {
    const files = fakeFiles({ '/proc/driver/nvidia/gpus/0000:70:00.0/information': L4 });
    expect(await readNvidiaProc(files)).toMatchObject([{ name: 'NVIDIA L4', index: 0 }]);
  });

  it('finds no GPU when the driver has no /proc directory', async () => {
    expect(await readNvidiaProc(fakeFiles())).toEqual([]);
  });
});

describe('amdgpu sysfs', () => {
  it('reads mem_info_vram_total in bytes (RX 570: 4 GiB)', () => {
    expect(sysfsNumber(RX570_VRAM)).toBe(4294967296);
    expect(sysfsNumber('garbage\n')).toBeNull();
    expect(sysfsNumber(null)).toBeNull();
  });

  it('reports cards with a VRAM total, skipping connectors and other entries', async () => {
    const files = fakeFiles({
      '/sys/class/drm/card0/device/mem_info_vram_total': RX570_VRAM,
      '/sys/class/drm/card0-DP-1/status': 'connected\n',
      '/sys/class/drm/renderD128/dev': '226:128\n',
      '/sys/class/drm/version': 'drm 1.1.0 20060810\n',
    });
    expect(await readAmdSysfs(files)).toEqual([
      {
        index: 0,
        name: 'AMD GPU (card0)',
        vramTotalGb: 4,
        vramUsedGb: null,
        vramFreeGb: null,
        utilizationPercent: null,
        driverVersion: null,
        source: 'amd-sysfs',
      },
    ]);
  });

  it('derives free VRAM from total and used, and reads busy percent and product name', async () => {
    const files = fakeFiles({
      '/sys/class/drm/card1/device/mem_info_vram_total': RX570_VRAM,
      '/sys/class/drm/card1/device/mem_info_vram_used': '1073741824\n',
      '/sys/class/drm/card1/device/gpu_busy_percent': '37\n',
      '/sys/class/drm/card1/device/product_name': 'Radeon RX 570 Series\n',
    });
    expect(await readAmdSysfs(files)).toMatchObject([
      {
        index: 1,
        name: 'Radeon RX 570 Series',
        vramTotalGb: 4,
        vramUsedGb: 1,
        vramFreeGb: 3,
        utilizationPercent: 37,
      },
    ]);
  });

  it('skips a card that is not amdgpu (no mem_info_vram_total)', async () => {
    const files = fakeFiles({ '/sys/class/drm/card0/device/vendor': '0x10de\n' });
    expect(await readAmdSysfs(files)).toEqual([]);
  });
});
