// Windows video controllers against real captures (test/fixtures/windows), with the uint32
// AdapterRAM cap read as "at least 4 GB, exact size unknown".
import { describe, expect, it } from 'vitest';
import {
  ADAPTER_RAM_CAP,
  POWERSHELL_ARGS,
  WMIC_ARGS,
  adapterRam,
  parseVideoControllers,
  videoControllerGpus,
} from '../../../src/core/host/windows.js';
import { fixture } from './fixtures.js';

const gpusIn = (text: string) => videoControllerGpus(parseVideoControllers(text));

describe('Windows video controllers', () => {
  it('queries Win32_VideoController with an argument array, no shell', () => {
    expect(POWERSHELL_ARGS).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      'Get-CimInstance Win32_VideoController | Format-List Name,AdapterRAM,DriverVersion',
    ]);
    expect(WMIC_ARGS).toEqual([
      'path',
      'Win32_VideoController',
      'get',
      'Name,AdapterRAM,DriverVersion',
    ]);
  });

  it('reads the Get-CimInstance list and treats the capped AdapterRAM as unknown (RX 9070 XT)', () => {
    const { gpus, notes } = gpusIn(fixture('windows/cim-videocontroller-list-rx9070xt.txt'));
    expect(gpus).toEqual([
      {
        index: 0,
        name: 'AMD Radeon RX 9070 XT',
        vramTotalGb: null,
        vramUsedGb: null,
        vramFreeGb: null,
        utilizationPercent: null,
        driverVersion: '32.0.31021.5001',
        source: 'windows',
      },
    ]);
    expect(notes).toEqual([
      'AMD Radeon RX 9070 XT: Windows reports at most 4 GB (AdapterRAM is 32-bit); its VRAM is at least 4 GB, exact size unknown',
    ]);
  });

  it('reads the wmic table: a capped RTX 4090 and an exact 1 GB Intel UHD 770', () => {
    const { gpus, notes } = gpusIn(
      fixture('windows/wmic-videocontroller-rtx4090-plus-intel-uhd770.txt'),
    );
    expect(gpus.map((g) => [g.index, g.name, g.vramTotalGb])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', null],
      [1, 'Intel(R) UHD Graphics 770', 1],
    ]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^NVIDIA GeForce RTX 4090: .*at least 4 GB/);
  });

  it('reads a PowerShell table with blank lines and dashes', () => {
    const text = fixture('windows/cim-videocontroller-select-adapterram-table.txt');
    expect(parseVideoControllers(text)).toEqual([{ AdapterRAM: '4293918720' }]);
    expect(gpusIn(text).gpus).toMatchObject([{ name: 'video controller', vramTotalGb: null }]);
  });

  it('treats the cap, and the cap read as a signed int32, as capped', () => {
    // The Python wmi print: AdapterRAM = 4293918720, and the same value as int32.
    const text = fixture('windows/wmi-python-mof-instance-adapterram.txt');
    const unsigned = Number(/AdapterRAM = (\d+);/.exec(text)?.[1]);
    const signed = Number(/^(-\d+)$/m.exec(text)?.[1]);
    expect(unsigned).toBe(ADAPTER_RAM_CAP);
    expect(adapterRam(unsigned)).toEqual({ kind: 'capped' });
    expect(adapterRam(signed)).toEqual({ kind: 'capped' });
    expect(adapterRam(1073741824)).toEqual({ kind: 'exact', gb: 1 });
    expect(adapterRam(null)).toEqual({ kind: 'unknown' });
  });

  it("leaves out Microsoft's own display adapters, which are not GPUs", () => {
    const text =
      'Name          : Microsoft Basic Display Adapter\nAdapterRAM    : 0\nDriverVersion : 10.0.19041.1\n';
    expect(gpusIn(text).gpus).toEqual([]);
  });

  it('finds no GPU in empty output', () => {
    expect(gpusIn('').gpus).toEqual([]);
    expect(gpusIn('\r\n\r\n').gpus).toEqual([]);
  });
});
