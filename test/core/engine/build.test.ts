import { describe, expect, it } from 'vitest';
import { buildEngine, KNOWN_ENGINES } from '../../../src/core/engine/build.js';
import { SYNTHETIC_MODELS } from '../../../src/core/engine/synthetic/index.js';
import { imageTask } from './synthetic/tasks.js';

describe('buildEngine', () => {
  it('builds the synthetic engine with its default models', () => {
    const engine = buildEngine('synthetic', { engines: [] });
    expect(engine.name).toBe('synthetic');
    expect(engine.capabilities()).toEqual(SYNTHETIC_MODELS);
  });

  it('gives a leaf engine the override models for every kind it serves', () => {
    const engine = buildEngine('synthetic', { engines: [], modelsOverride: ['sdxl', 'sdxl'] });
    expect(engine.capabilities().image).toEqual(['sdxl']);
    expect(engine.capabilities().video).toEqual(['sdxl']);
  });

  it('keeps the default models when the override list is empty', () => {
    const engine = buildEngine('synthetic', { engines: [], modelsOverride: [] });
    expect(engine.capabilities()).toEqual(SYNTHETIC_MODELS);
  });

  it('rejects an unknown engine name, listing the known ones', () => {
    expect(() => buildEngine('dalle', { engines: [] })).toThrow(
      'unknown engine: dalle (known engines: synthetic, openai, a1111, gradio, comfyui, llama, multi)',
    );
  });

  it('does not treat inherited object keys as engine names', () => {
    expect(() => buildEngine('constructor', { engines: [] })).toThrow('unknown engine');
  });

  it('lists the leaf engines, then multi, as known engines', () => {
    expect(KNOWN_ENGINES).toEqual([
      'synthetic',
      'openai',
      'a1111',
      'gradio',
      'comfyui',
      'llama',
      'multi',
    ]);
  });
});

describe('buildEngine multi', () => {
  it('builds one route per [[engines]] table with its kinds and models', () => {
    const engine = buildEngine('multi', {
      engines: [
        { engine: 'synthetic', kinds: ['image'], models: ['sdxl'] },
        { engine: 'synthetic', kinds: ['llm', 'image'] },
      ],
    });
    expect(engine.name).toBe('multi');
    expect(engine.capabilities()).toEqual({
      image: ['flux1-dev', 'flux1-dev-i2i', 'sdxl', 'sdxl-1.0', 'synthetic', 'synthetic-image'],
      llm: ['llama-3.1-8b-instruct-q4', 'synthetic', 'synthetic-llm'],
    });
  });

  it('runs a task on the route that lists its model', async () => {
    const engine = buildEngine('multi', {
      engines: [
        { engine: 'synthetic', kinds: ['image'] },
        { engine: 'synthetic', kinds: ['image'], models: ['sdxl'] },
      ],
    });
    const result = await engine.run('sdxl', imageTask(), new AbortController().signal);
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
  });

  it('passes an engine its own keys from the table', async () => {
    const engine = buildEngine('multi', { engines: [{ engine: 'synthetic', delay_ms: 60_000 }] });
    const controller = new AbortController();
    const run = engine.run('synthetic-image', imageTask(), controller.signal);
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects multi without [[engines]] tables', () => {
    expect(() => buildEngine('multi', { engines: [] })).toThrow(
      'engine = "multi" needs at least one [[engines]] table',
    );
  });

  it('rejects an entry without an engine key, naming the entry', () => {
    expect(() => buildEngine('multi', { engines: [{ engine: 'synthetic' }, {}] })).toThrow(
      /^engines\[1\]\.engine: .*fix engines\[1\] in config\.toml$/,
    );
  });

  it('rejects an unknown kind, naming its index and value', () => {
    expect(() =>
      buildEngine('multi', { engines: [{ engine: 'synthetic', kinds: ['image', 'imgae'] }] }),
    ).toThrow(/^engines\[0\]\.kinds\[1\]: .*\(got "imgae"\)/);
  });

  it('rejects an empty models list', () => {
    expect(() => buildEngine('multi', { engines: [{ engine: 'synthetic', models: [] }] })).toThrow(
      /^engines\[0\]\.models: /,
    );
  });

  it('rejects an unknown engine in an entry, listing the engines an entry may name', () => {
    expect(() => buildEngine('multi', { engines: [{ engine: 'dalle' }] })).toThrow(
      'engines[0].engine: unknown engine: dalle (known engines: synthetic, openai, a1111, gradio, comfyui, llama)',
    );
  });

  it('rejects a multi nested inside multi', () => {
    expect(() => buildEngine('multi', { engines: [{ engine: 'multi' }] })).toThrow(
      'engines[0].engine: multi cannot be nested inside multi',
    );
  });

  it('rejects a key the named engine does not know, naming the key', () => {
    expect(() => buildEngine('multi', { engines: [{ engine: 'synthetic', delay: 5 }] })).toThrow(
      /^engines\[0\]: .*"delay"/,
    );
  });

  it('rejects a bad value of an engine-specific key', () => {
    expect(() =>
      buildEngine('multi', { engines: [{ engine: 'synthetic', delay_ms: -5 }] }),
    ).toThrow(/^engines\[0\]\.delay_ms: .*\(got -5\)/);
  });

  it('rejects supported_models_override with multi, saying where models go instead', () => {
    expect(() =>
      buildEngine('multi', { engines: [{ engine: 'synthetic' }], modelsOverride: ['sdxl'] }),
    ).toThrow('set models = [...] on each [[engines]] table instead');
  });
});
