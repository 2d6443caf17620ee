// Adding detected servers to a config: no duplicates, other keys kept, `engine` set to run them.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/core/config/defaults.js';
import { addDetectedEngines } from '../../../../src/core/engine/detect/add.js';
import type { DetectedServer } from '../../../../src/core/engine/detect/detect.js';

const ollama: DetectedServer = {
  server: 'ollama',
  label: 'Ollama',
  baseUrl: 'http://127.0.0.1:11434',
  models: ['llama3:latest'],
  table: { engine: 'openai', base_url: 'http://127.0.0.1:11434' },
};
const comfy: DetectedServer = {
  server: 'comfyui',
  label: 'ComfyUI',
  baseUrl: 'http://127.0.0.1:8188',
  models: [],
  table: { engine: 'comfyui', base_url: 'http://127.0.0.1:8188' },
};

describe('addDetectedEngines', () => {
  it('makes the one server found the engine when none was configured (synthetic)', () => {
    const outcome = addDetectedEngines(defaultConfig(), [ollama]);
    expect(outcome.config.engine).toBe('openai');
    expect(outcome.config.engines).toEqual([ollama.table]);
    expect(outcome.engineChange).toBe('engine changed from "synthetic" to "openai"');
  });

  it('switches to multi for two servers and drops synthetic', () => {
    const outcome = addDetectedEngines(defaultConfig(), [ollama, comfy]);
    expect(outcome.config.engine).toBe('multi');
    expect(outcome.config.engines).toEqual([ollama.table, comfy.table]);
  });

  it('keeps a table-less real engine as a route of its own when switching to multi', () => {
    const config = { ...defaultConfig(), engine: 'a1111' };
    const outcome = addDetectedEngines(config, [comfy]);
    expect(outcome.config.engine).toBe('multi');
    expect(outcome.config.engines).toEqual([{ engine: 'a1111' }, comfy.table]);
  });

  it('does not add a server already configured, even spelled localhost/v1 or left default', () => {
    const config = {
      ...defaultConfig(),
      engine: 'multi',
      engines: [
        { engine: 'openai', base_url: 'http://localhost:11434/v1', api_key: 'k', extra: 1 },
        { engine: 'comfyui' },
      ],
    };
    const outcome = addDetectedEngines(config, [ollama, comfy]);
    expect(outcome.added).toEqual([]);
    expect(outcome.present).toEqual([ollama, comfy]);
    expect(outcome.config).toBe(config);
  });

  it('appends to multi, keeping the other tables and their keys as they were', () => {
    const kept = { engine: 'openai', base_url: 'http://127.0.0.1:1234', models: ['x'], extra: 1 };
    const config = { ...defaultConfig(), engine: 'multi', engines: [kept] };
    const outcome = addDetectedEngines(config, [comfy]);
    expect(outcome.config.engines).toEqual([kept, comfy.table]);
    expect(outcome.engineChange).toBeNull();
  });
});
