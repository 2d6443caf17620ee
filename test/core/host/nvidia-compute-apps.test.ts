import { describe, expect, it } from 'vitest';
import { heldByProcesses, parseComputeApps } from '../../../src/core/host/nvidia-compute-apps.js';
import { parseNvidiaSmiCsv } from '../../../src/core/host/nvidia-smi.js';
import { sumVram } from '../../../src/core/host/readings.js';
import { admissionFor, engineHeldGb } from '../../../src/core/runtime/admission.js';
import { DEFAULT_CONFIG } from '../../../src/core/config/defaults.js';
import { fixture } from './fixtures.js';

describe('nvidia-smi --query-compute-apps', () => {
  it('reads the real H200 capture: the python3 process and its 3682 MiB', () => {
    const apps = parseComputeApps(
      fixture('nvidia-smi/studio-worker-device-h200-query-compute-apps-busy.txt'),
    );
    expect(apps).toEqual([
      {
        pid: 436,
        processName: 'python3',
        usedGb: 3.6,
        gpuUuid: 'GPU-87b0b1b4-7cb0-5e6b-d2bb-7794b0b8afd8',
      },
    ]);
  });

  it('keeps a process name with commas, and an unknown size as null', () => {
    const apps = parseComputeApps('77, /opt/a,b/python, [N/A], GPU-1\n');
    expect(apps).toEqual([
      { pid: 77, processName: '/opt/a,b/python', usedGb: null, gpuUuid: 'GPU-1' },
    ]);
  });

  it('skips lines that are not rows: a header, "No running processes found", bad pids', () => {
    const text = [
      'pid, process_name, used_gpu_memory [MiB], gpu_uuid',
      'No running processes found',
      '0, zero, 100, GPU-1',
      '-3, negative, 100, GPU-1',
      'NaN, nan, 100, GPU-1',
      '12.5, fraction, 100, GPU-1',
      '9, ok, 2048, GPU-1',
    ].join('\n');
    expect(parseComputeApps(text).map((a) => a.pid)).toEqual([9]);
    expect(parseComputeApps('')).toEqual([]);
  });

  it("sums only the given processes' memory, over every GPU", () => {
    const apps = parseComputeApps('5, a, 1024, GPU-1\n5, a, 2048, GPU-2\n6, b, 4096, GPU-1\n');
    expect(heldByProcesses(apps, [5])).toBe(3);
    expect(heldByProcesses(apps, [])).toBe(0);
    expect(heldByProcesses(apps, [99])).toBe(0);
  });
});

describe("admission from a real capture: an engine's process holding 6 GiB on an H200", () => {
  const apps = parseComputeApps(
    fixture('nvidia-smi/studio-worker-device-h200-query-compute-apps-torch-6gib.txt'),
  );
  const gpus = parseNvidiaSmiCsv(
    fixture('nvidia-smi/studio-worker-device-h200-query-gpu-torch-6gib-noheader-nounits.txt'),
  );
  const host = { ...sumVram(gpus) };
  const probe = { computeApps: async () => apps };

  it('counts the memory of the engine matched by pid (514), tensor and CUDA context', async () => {
    const held = await engineHeldGb({ heldVram: async () => ({ gb: 0, pids: [514] }) }, probe);
    expect(held).toBe(6.51);
    expect(host.vramFreeGb).toBe(133.29);
    const threshold = (heldGb: number) =>
      admissionFor({ ...DEFAULT_CONFIG, vram_threshold_gb: 200 }, { ...host, engineHeldGb: heldGb })
        .thresholdGb;
    // 133.29 free + 6.51 held − 1 GB margin, rounded down; 132.2 without counting it.
    expect(threshold(held)).toBe(138.8);
    expect(threshold(0)).toBe(132.2);
  });

  it("counts nothing for a pid that is not on the GPU, and the engine's own figure when larger", async () => {
    expect(await engineHeldGb({ heldVram: async () => ({ gb: 0, pids: [515] }) }, probe)).toBe(0);
    expect(await engineHeldGb({ heldVram: async () => ({ gb: 7, pids: [514] }) }, probe)).toBe(7);
    // A figure that is not a number counts as nothing, and a failing engine never rejects.
    expect(await engineHeldGb({ heldVram: async () => ({ gb: NaN, pids: [] }) }, probe)).toBe(0);
    expect(await engineHeldGb({ heldVram: () => Promise.reject(new Error('down')) }, probe)).toBe(
      0,
    );
  });
});
