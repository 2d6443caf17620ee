import { describe, expect, it } from 'vitest';
import { buildCapabilities } from '../../../src/core/runtime/capabilities.js';

const host = {
  machineName: 'box',
  username: 'ana',
  vramTotalGb: 24,
  vramFreeGb: null,
  gpus: [],
  gpuNotes: [],
};
const config = { engine: 'multi', vram_threshold_gb: 12, auto_start: true };

describe('buildCapabilities', () => {
  it('lists kinds in canonical order whatever order the engine gives', () => {
    const caps = buildCapabilities({
      config,
      engine: { video: ['v'], llm: ['l'], image: ['i'] },
      host,
      agentVersion: '1.0.0',
      autoEnabled: true,
    });
    expect(caps.taskKinds).toEqual(['image', 'llm', 'video']);
  });

  it('sorts and de-duplicates models per kind and in the flat union', () => {
    const caps = buildCapabilities({
      config,
      engine: { image: ['sdxl', 'flux', 'sdxl'], llm: ['llama', 'flux'] },
      host,
      agentVersion: '1.0.0',
      autoEnabled: true,
    });
    expect(caps.supportedModelsPerKind).toEqual({
      image: ['flux', 'sdxl'],
      llm: ['flux', 'llama'],
    });
    expect(caps.supportedModels).toEqual(['flux', 'llama', 'sdxl']);
  });

  it('carries host, version, flags and threshold as PROTOCOL.md names them', () => {
    const caps = buildCapabilities({
      config,
      engine: {},
      host,
      agentVersion: '2.0.0',
      autoEnabled: false,
    });
    expect(caps).toMatchObject({
      machineName: 'box',
      username: 'ana',
      agentVersion: '2.0.0',
      engine: 'multi',
      vramTotalGb: 24,
      vramThresholdGb: 12,
      autoEnabled: false,
      autoStart: true,
      taskKinds: [],
    });
  });

  it('falls back to unknown-host when the machine has no name', () => {
    const caps = buildCapabilities({
      config,
      engine: {},
      host: { ...host, machineName: '' },
      agentVersion: '1',
      autoEnabled: true,
    });
    expect(caps.machineName).toBe('unknown-host');
  });
});
