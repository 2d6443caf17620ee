// macOS GPUs from system_profiler: the plain-text form against real captures
// (test/fixtures/macos), the -json form from its documented keys (no attributable -json
// capture exists; see SOURCES.md "Not found").
import { describe, expect, it } from 'vitest';
import {
  SYSTEM_PROFILER_ARGS,
  macSizeGb,
  parseSystemProfiler,
  parseSystemProfilerJson,
  parseSystemProfilerText,
} from '../../../src/core/host/macos.js';
import { fixture } from './fixtures.js';

const M1_TEXT = fixture('macos/system_profiler-text-apple-m1-macbookair-graphics-displays.txt');
const VEGA_TEXT = fixture('macos/system_profiler-text-imac-pro-radeon-pro-vega64.txt');
const RAM_GB = 16;

const base = {
  index: 0,
  vramUsedGb: null,
  vramFreeGb: null,
  utilizationPercent: null,
  driverVersion: null,
  source: 'macos',
};

describe('system_profiler text', () => {
  it('reports Apple Silicon, which has no VRAM line, with the RAM as unified memory (M1)', () => {
    expect(parseSystemProfilerText(M1_TEXT, RAM_GB)).toEqual([
      { ...base, name: 'Apple M1', vramTotalGb: 16, unifiedMemory: true },
    ]);
  });

  it('reports a discrete GPU with its own VRAM (iMac Pro, Radeon Pro Vega 64)', () => {
    expect(parseSystemProfilerText(VEGA_TEXT, RAM_GB)).toEqual([
      { ...base, name: 'Radeon Pro Vega 64', vramTotalGb: 16 },
    ]);
  });

  it('finds no GPU in text without a Chipset Model', () => {
    expect(parseSystemProfilerText('', RAM_GB)).toEqual([]);
    expect(parseSystemProfilerText('system_profiler: unknown data type\n', RAM_GB)).toEqual([]);
  });
});

describe('system_profiler -json', () => {
  it('asks for the displays data type as JSON', () => {
    expect(SYSTEM_PROFILER_ARGS).toEqual(['SPDisplaysDataType', '-json']);
  });

  // Built from the documented SPDisplaysDataType keys: an Apple Silicon GPU (no VRAM key), an
  // integrated Intel GPU (shared VRAM) and a discrete AMD GPU (dedicated VRAM).
  const json = JSON.stringify({
    SPDisplaysDataType: [
      { _name: 'Apple M2 Pro', sppci_model: 'Apple M2 Pro', sppci_cores: '19' },
      {
        _name: 'Intel UHD Graphics 630',
        sppci_model: 'Intel UHD Graphics 630',
        spdisplays_vram_shared: '1536 MB',
      },
      {
        _name: 'AMD Radeon Pro 5500M',
        sppci_model: 'AMD Radeon Pro 5500M',
        spdisplays_vram: '8 GB',
      },
    ],
  });

  it('reads each GPU with dedicated, shared or unified memory', () => {
    expect(parseSystemProfilerJson(json, 32)).toEqual([
      { ...base, index: 0, name: 'Apple M2 Pro', vramTotalGb: 32, unifiedMemory: true },
      { ...base, index: 1, name: 'Intel UHD Graphics 630', vramTotalGb: 1.5, unifiedMemory: true },
      { ...base, index: 2, name: 'AMD Radeon Pro 5500M', vramTotalGb: 8 },
    ]);
  });

  it('is not fooled by text or JSON of another shape', () => {
    expect(parseSystemProfilerJson(M1_TEXT, RAM_GB)).toBeNull();
    expect(parseSystemProfilerJson('{"SPHardwareDataType": []}', RAM_GB)).toBeNull();
    expect(parseSystemProfilerJson('null', RAM_GB)).toBeNull();
  });

  it('reads whichever form system_profiler printed', () => {
    expect(parseSystemProfiler(json, 32)).toHaveLength(3);
    expect(parseSystemProfiler(VEGA_TEXT, 32)).toMatchObject([{ name: 'Radeon Pro Vega 64' }]);
  });
});

describe('macSizeGb', () => {
  it('reads MB and GB as binary sizes and nothing else', () => {
    expect(macSizeGb('16 GB')).toBe(16);
    expect(macSizeGb('1536 MB')).toBe(1.5);
    expect(macSizeGb('lots')).toBeNull();
    expect(macSizeGb(undefined)).toBeNull();
  });
});
