// rocm-smi's three output shapes, against real captures (test/fixtures/amd).
import { describe, expect, it } from 'vitest';
import { ROCM_SMI_ARGS, parseRocmSmi } from '../../../src/core/host/rocm-smi.js';
import { sumVram } from '../../../src/core/host/readings.js';
import { fixture } from './fixtures.js';

const RX7900XT = {
  index: 0,
  name: 'Radeon RX 7900 XT',
  vramTotalGb: 19.98, // 21458059264 B
  vramUsedGb: 0.03, // 27856896 B
  vramFreeGb: 19.95,
  utilizationPercent: 0,
  driverVersion: null,
  source: 'rocm-smi',
};

describe('parseRocmSmi', () => {
  it('asks for product name, use and VRAM as JSON', () => {
    expect(ROCM_SMI_ARGS).toEqual([
      '--showproductname',
      '--showuse',
      '--showmeminfo',
      'vram',
      '--json',
    ]);
  });

  it('reads --json, whose values are strings (RX 7900 XT)', () => {
    const text = fixture('amd/rocm-smi-productname-use-meminfo-vram-json-rx7900xt.json');
    expect(parseRocmSmi(text)).toEqual([RX7900XT]);
  });

  it('reads --csv of the same query to the same GPU', () => {
    const text = fixture('amd/rocm-smi-productname-use-meminfo-vram-csv-rx7900xt.txt');
    expect(parseRocmSmi(text)).toEqual([RX7900XT]);
  });

  it('reads a dGPU and an iGPU from csv and sums their VRAM (RX 6800 + Raphael)', () => {
    const gpus = parseRocmSmi(fixture('amd/rocm-smi-csv-dgpu-rx6800-plus-raphael-igpu.txt'));
    expect(gpus.map((g) => [g.index, g.name, g.vramTotalGb, g.vramUsedGb, g.vramFreeGb])).toEqual([
      [0, 'Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]', 15.98, 0.64, 15.34],
      [1, 'Raphael', 0.06, 0.02, 0.04],
    ]);
    expect(sumVram(gpus)).toEqual({ vramTotalGb: 16.04, vramFreeGb: 15.38 });
  });

  it('reads the plain --showmeminfo vram log (4 GB GPU)', () => {
    const text = fixture('amd/rocm-smi-showmeminfo-vram-single-gpu.txt');
    expect(parseRocmSmi(text)).toEqual([
      {
        index: 0,
        name: 'AMD GPU (card0)',
        vramTotalGb: 3.98, // 4278190080 B
        vramUsedGb: 0.1, // 108814336 B
        vramFreeGb: 3.88,
        utilizationPercent: null,
        driverVersion: null,
        source: 'rocm-smi',
      },
    ]);
  });

  it('finds no GPU in the concise table, which has no VRAM figures (4× MI300X)', () => {
    expect(parseRocmSmi(fixture('amd/thamada-rocm-smi-concise-4x-mi300x.txt'))).toEqual([]);
  });

  it('finds no GPU in garbage, broken JSON or an error', () => {
    expect(parseRocmSmi('')).toEqual([]);
    expect(parseRocmSmi('{"card0": {"VRAM Total Memory (B)": ')).toEqual([]);
    expect(parseRocmSmi('ERROR: GPU[0] : Unable to open /sys/class/drm\n')).toEqual([]);
    expect(parseRocmSmi('{"card0": {"VRAM Total Memory (B)": "N/A"}}')).toEqual([]);
  });
});
