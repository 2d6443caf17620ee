// nvidia-smi's csv read against real captures (test/fixtures/nvidia-smi), and against the
// other things nvidia-smi prints, which must never be taken for GPUs.
import { describe, expect, it } from 'vitest';
import {
  NVIDIA_SMI_ARGS,
  nvidiaSmiCells,
  parseNvidiaSmiCsv,
} from '../../../src/core/host/nvidia-smi.js';
import { numberIn, sumVram, textIn } from '../../../src/core/host/readings.js';
import { fixture } from './fixtures.js';

const dir = 'nvidia-smi/';

describe('NVIDIA_SMI_ARGS', () => {
  it('asks for index, name, memory, utilisation and driver, without header or units', () => {
    expect(NVIDIA_SMI_ARGS).toEqual([
      '--query-gpu=index,name,memory.total,memory.used,memory.free,utilization.gpu,driver_version',
      '--format=csv,noheader,nounits',
    ]);
  });
});

describe('parseNvidiaSmiCsv', () => {
  it('reads a header line with units and values with units (RTX 2080 SUPER, Windows, ~210 fields)', () => {
    const text = fixture(
      `${dir}nvidia_gpu_exporter-rtx2080super-windows-query-gpu-wide-csv-header.txt`,
    );
    expect(parseNvidiaSmiCsv(text)).toEqual([
      {
        index: 0,
        name: 'NVIDIA GeForce RTX 2080 SUPER',
        vramTotalGb: 8,
        vramUsedGb: 0.69, // 702 MiB
        vramFreeGb: 7.12, // 7286 MiB
        utilizationPercent: 0,
        driverVersion: '591.86',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('leaves out what a header query did not ask for and reads [N/A] as unknown (Tesla P100)', () => {
    const [gpu, ...rest] = parseNvidiaSmiCsv(fixture(`${dir}netdata-tesla-p100-csv-header-na.txt`));
    expect(rest).toEqual([]);
    expect(gpu).toEqual({
      index: 0,
      name: 'Tesla P100-PCIE-16GB',
      vramTotalGb: null,
      vramUsedGb: 0,
      vramFreeGb: 15.9, // 16280 MiB
      utilizationPercent: 0,
      driverVersion: null,
      source: 'nvidia-smi',
    });
  });

  // i3pystatus's query (i3pystatus/utils/gpu.py), on a newer and an older driver.
  const i3pystatusFields = [
    'memory.total',
    'memory.free',
    'memory.used',
    'temperature.gpu',
    'fan.speed',
    'utilization.gpu',
    'utilization.memory',
  ];

  it('reads a noheader,nounits row whose fan speed is [N/A] (newer driver)', () => {
    const text = fixture(`${dir}i3pystatus-noheader-nounits-na-newer-driver.txt`);
    expect(parseNvidiaSmiCsv(text, i3pystatusFields)).toEqual([
      {
        index: 0,
        name: 'NVIDIA GPU',
        vramTotalGb: 1.96, // 2004 MiB
        vramUsedGb: 0,
        vramFreeGb: 1.96,
        utilizationPercent: 0,
        driverVersion: null,
        source: 'nvidia-smi',
      },
    ]);
  });

  it('reads the same row with [Not Supported] (older driver) to the same GPU', () => {
    const older = fixture(`${dir}i3pystatus-noheader-nounits-not-supported-older-driver.txt`);
    const newer = fixture(`${dir}i3pystatus-noheader-nounits-na-newer-driver.txt`);
    expect(parseNvidiaSmiCsv(older, i3pystatusFields)).toEqual(
      parseNvidiaSmiCsv(newer, i3pystatusFields),
    );
  });

  it('reads a row with a bare N/A among 19 fields (GeForce RTX 2080, driver 440.64)', () => {
    // gpu-utils' static + dynamic query items (GPUmodules/GPUmodule.py); the last three unnamed.
    const fields = [
      'power.limit',
      'power.min_limit',
      'power.max_limit',
      'memory.total',
      'vbios_version',
      'driver_version',
      'name',
      'gpu_uuid',
      'power.draw',
      'temperature.gpu',
      'temperature.memory',
      'clocks.gr',
      'clocks.sm',
      'clocks.mem',
      'utilization.gpu',
      'utilization.memory',
      'other.1',
      'other.2',
      'other.3',
    ];
    const text = fixture(`${dir}gpu-utils-rtx2080-noheader-nounits-na-unbracketed.txt`);
    expect(parseNvidiaSmiCsv(text, fields)).toEqual([
      {
        index: 0,
        name: 'GeForce RTX 2080',
        vramTotalGb: 7.79, // 7979 MiB
        vramUsedGb: null,
        vramFreeGb: null,
        utilizationPercent: 86,
        driverVersion: '440.64',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('reports memory as unknown on a unified-memory GPU whose memory.total is [N/A] (GB10)', () => {
    const text = fixture(`${dir}llama-swap-gb10-dgx-spark-memory-na-noheader-nounits.txt`);
    const gpus = parseNvidiaSmiCsv(text, ['memory.used', 'memory.total', 'utilization.memory']);
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({ vramTotalGb: null, vramUsedGb: null, vramFreeGb: null });
    expect(sumVram(gpus)).toEqual({ vramTotalGb: 0, vramFreeGb: null });
  });

  it('keeps a row full of [Not Supported] and units (GTX 770) with the name it gives', () => {
    const text = fixture(`${dir}megaminer-gtx770-noheader-not-supported.txt`);
    const fields = ['name', ...Array.from({ length: 11 }, (_, i) => `other.${i}`)];
    expect(parseNvidiaSmiCsv(text, fields)).toMatchObject([
      { index: 0, name: 'GeForce GTX 770', vramTotalGb: null, utilizationPercent: null },
    ]);
  });

  it.each([
    'akash-nvidia-smi-L-2x-quadro-rtx4000.txt',
    'thamada-10x-a40-table-driver-550.txt',
    'thamada-2x-rtx3090-table-driver-560.txt',
    'nvidia_gpu_exporter-rtx2080super-windows-wddm-table.txt',
    'nvidia_gpu_exporter-rtx4080super-linux-table.txt',
    'netdata-rtx2080-windows-q-x-excerpt.xml',
    'telegraf-dual-rtx2070-q-x-v13-excerpt.xml',
    'plambe-zabbix-fan-speed-noheader-nounits-not-supported.txt',
  ])('finds no GPU in output that is not our query: %s', (name) => {
    expect(parseNvidiaSmiCsv(fixture(dir + name))).toEqual([]);
  });

  it("reads the worker's own query as a real H200 printed it, idle and with 3.6 GB held", () => {
    const h200 = (file: string) =>
      parseNvidiaSmiCsv(fixture(`${dir}studio-worker-device-h200-${file}.txt`));
    const base = {
      index: 0,
      name: 'NVIDIA H200',
      vramTotalGb: 140.4, // 143771 MiB
      utilizationPercent: 0,
      driverVersion: '580.159.04',
      source: 'nvidia-smi',
    };
    expect(h200('query-gpu-noheader-nounits')).toEqual([
      { ...base, vramUsedGb: 0, vramFreeGb: 139.8 }, // 143156 MiB free: the driver keeps ~600 MiB
    ]);
    expect(h200('query-gpu-busy-noheader-nounits')).toEqual([
      { ...base, vramUsedGb: 3.6, vramFreeGb: 136.2 },
    ]);
  });

  it('reads the wide H200 query with header and units to the same GPU', () => {
    const [gpu] = parseNvidiaSmiCsv(
      fixture(`${dir}studio-worker-device-h200-query-gpu-wide-csv-header.txt`),
    );
    expect(gpu).toMatchObject({ name: 'NVIDIA H200', vramTotalGb: 140.4, vramFreeGb: 139.8 });
  });

  it('finds no GPU in garbage, an error message or nothing', () => {
    expect(parseNvidiaSmiCsv('')).toEqual([]);
    expect(
      parseNvidiaSmiCsv(
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n",
      ),
    ).toEqual([]);
    expect(parseNvidiaSmiCsv('\u0000\u0001<html>, ,\n')).toEqual([]);
    // Seven cells, but not a GPU: the index is no number, or the name is no name.
    expect(parseNvidiaSmiCsv('a, b, c, d, e, f, g\n2004, 2004, 0, 44, [N/A], 0, 0\n')).toEqual([]);
  });

  it('reads one row per GPU of its own query and sums them', () => {
    // Constructed in the shape NVIDIA_SMI_ARGS prints (SOURCES.md records no multi-GPU capture
    // of it); the values are those of the 2× RTX 3090 table capture.
    const text =
      '0, NVIDIA GeForce RTX 3090, 24576, 2, 24135, 0, 560.35.03\n' +
      '1, NVIDIA GeForce RTX 3090, 24576, 2, 24135, 0, 560.35.03\n';
    const gpus = parseNvidiaSmiCsv(text);
    expect(gpus.map((g) => [g.index, g.vramTotalGb, g.vramFreeGb])).toEqual([
      [0, 24, 23.57],
      [1, 24, 23.57],
    ]);
    expect(sumVram(gpus)).toEqual({ vramTotalGb: 48, vramFreeGb: 47.14 });
  });
});

describe('nvidia-smi cells', () => {
  it('reads every spelling of "not available" as null and strips units', () => {
    const cells = nvidiaSmiCells(
      fixture(`${dir}megaminer-gtx770-noheader-not-supported.txt`).trim(),
    );
    expect(cells.map((c) => numberIn(c) ?? textIn(c))).toEqual([
      'GeForce GTX 770',
      null,
      null,
      52,
      null,
      null,
      52, // "52 %"
      'P0',
      null,
      null,
      null,
      null,
    ]);
    const [fan] = nvidiaSmiCells(
      fixture(`${dir}plambe-zabbix-fan-speed-noheader-nounits-not-supported.txt`).trim(),
    );
    expect(numberIn(fan)).toBeNull();
    expect(textIn('[Requested functionality has been deprecated]')).toBeNull();
    expect(textIn('N/A')).toBeNull();
  });
});
