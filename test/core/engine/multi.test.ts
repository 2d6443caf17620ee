import { describe, expect, it } from 'vitest';
import type { Engine, EngineCapabilities } from '../../../src/core/engine/engine.js';
import { createMultiEngine } from '../../../src/core/engine/multi.js';
import type { EngineHealth } from '../../../src/shared/snapshot.js';
import type { Task } from '../../../src/core/task/task.js';
import { imageTask, llmTask, videoTask } from './synthetic/tasks.js';

/** An engine that answers with its own name, so a test can see which route ran a task. */
function namedEngine(name: string, capabilities: EngineCapabilities): Engine {
  return {
    name,
    capabilities: () => capabilities,
    run: async () => ({ type: 'json', value: name }),
  };
}

async function ranBy(engine: Engine, model: string, task: Task): Promise<unknown> {
  const result = await engine.run(model, task, new AbortController().signal);
  return result.type === 'json' ? result.value : result.ext;
}

describe('multi engine', () => {
  const painter = namedEngine('painter', { image: ['sd15'], video: ['anim'] });
  const sdxl = namedEngine('sdxl-box', { image: ['sdxl'] });
  const writer = namedEngine('writer', { llm: ['llama', 'qwen'] });

  it('is named multi', () => {
    expect(createMultiEngine([{ engine: painter }]).name).toBe('multi');
  });

  it('routes a task to the route that lists its model for its kind', async () => {
    const multi = createMultiEngine([{ engine: painter }, { engine: sdxl, models: ['sdxl'] }]);
    expect(await ranBy(multi, 'sdxl', imageTask())).toBe('sdxl-box');
  });

  it('routes a model-less match to the first route serving the kind', async () => {
    const multi = createMultiEngine([{ engine: painter }, { engine: sdxl, models: ['sdxl'] }]);
    expect(await ranBy(multi, 'something-else', imageTask())).toBe('painter');
  });

  it('routes to the route whose engine offers the model when no route lists it', async () => {
    const other = namedEngine('lm-studio', { image: ['flux'] });
    const multi = createMultiEngine([{ engine: sdxl }, { engine: other }]);
    expect(await ranBy(multi, 'flux', imageTask())).toBe('lm-studio');
    expect(await ranBy(multi, 'sdxl', imageTask())).toBe('sdxl-box');
  });

  it('ignores a route listing the model when it does not serve the kind', async () => {
    const multi = createMultiEngine([{ engine: writer, models: ['shared'] }, { engine: painter }]);
    expect(await ranBy(multi, 'shared', imageTask())).toBe('painter');
  });

  it('keeps a route to the kinds it lists', async () => {
    const multi = createMultiEngine([
      { engine: painter, kinds: ['image'] },
      { engine: namedEngine('animator', { video: ['anim'] }) },
    ]);
    expect(await ranBy(multi, 'anim', videoTask())).toBe('animator');
  });

  it('rejects a kind no route serves with a cannot-serve message', async () => {
    const multi = createMultiEngine([{ engine: painter }]);
    await expect(ranBy(multi, 'llama', llmTask())).rejects.toThrow(
      'multi engine cannot serve llm tasks',
    );
  });

  it('advertises per kind the sorted, de-duplicated union of its routes', () => {
    const multi = createMultiEngine([
      { engine: writer },
      { engine: sdxl, models: ['sdxl', 'flux'] },
      { engine: painter, kinds: ['image'] },
      { engine: namedEngine('more', { llm: ['qwen', 'alpha'] }) },
    ]);
    expect(multi.capabilities()).toEqual({
      image: ['flux', 'sd15', 'sdxl'],
      llm: ['alpha', 'llama', 'qwen'],
    });
  });

  it('lists advertised kinds in canonical order', () => {
    const multi = createMultiEngine([{ engine: writer }, { engine: painter }]);
    expect(Object.keys(multi.capabilities())).toEqual(['image', 'llm', 'video']);
  });

  it('refuses to be built without routes', () => {
    expect(() => createMultiEngine([])).toThrow('multi engine needs at least one route');
  });
});

describe('multi engine health and refresh', () => {
  /** An engine backed by a pretend server whose models appear on refresh. */
  function serverEngine(name: string, health: EngineHealth, models: string[]): Engine {
    let known: string[] = [];
    return {
      name,
      capabilities: () => ({ llm: known }),
      run: async () => ({ type: 'json', value: name }),
      refresh: async () => {
        if (health.error !== null) throw new Error(health.error);
        known = models;
      },
      health: async () => {
        if (health.error === null) known = models;
        return health;
      },
    };
  }
  const ok = (checkedAt: string): EngineHealth => ({
    reachable: true,
    models: [],
    error: null,
    checkedAt,
  });

  it('refreshes every route that has a server', async () => {
    const a = serverEngine('a', ok('2026-05-16T00:00:00.000Z'), ['llama']);
    const b = serverEngine('b', ok('2026-05-16T00:00:00.000Z'), ['qwen']);
    const multi = createMultiEngine([{ engine: a }, { engine: b }, { engine: painter() }]);
    await multi.refresh?.();
    expect(multi.capabilities().llm).toEqual(['llama', 'qwen']);
  });

  it('rejects a refresh when one route fails, after refreshing the others', async () => {
    const down = serverEngine(
      'down',
      { reachable: false, models: [], error: 'openai engine: connection refused', checkedAt: '' },
      [],
    );
    const up = serverEngine('up', ok('2026-05-16T00:00:00.000Z'), ['qwen']);
    const multi = createMultiEngine([{ engine: down }, { engine: up }]);
    await expect(multi.refresh?.()).rejects.toThrow('openai engine: connection refused');
    expect(multi.capabilities().llm).toEqual(['qwen']);
  });

  it('reports one health: reachable only when all are, errors joined, its advertised models', async () => {
    const down = serverEngine(
      'down',
      {
        reachable: false,
        models: [],
        error: 'a1111 engine: connection refused',
        checkedAt: '2026-05-16T00:00:01.000Z',
      },
      [],
    );
    const up = serverEngine('up', ok('2026-05-16T00:00:02.000Z'), ['qwen']);
    const multi = createMultiEngine([{ engine: down }, { engine: up }, { engine: painter() }]);
    expect(await multi.health?.()).toEqual({
      reachable: false,
      models: ['qwen', 'sd15'],
      error: 'a1111 engine: connection refused',
      checkedAt: '2026-05-16T00:00:02.000Z',
    });
  });

  it("keeps an in-process engine's backend, devices and model sizes in the one health", async () => {
    const llama = serverEngine(
      'llama',
      {
        ...ok('2026-05-16T00:00:01.000Z'),
        backend: 'CUDA',
        devices: ['NVIDIA GeForce RTX 4090'],
        modelVramGb: { 'llama-3.1-8b': 5.6 },
      },
      ['llama-3.1-8b'],
    );
    const multi = createMultiEngine([{ engine: painter() }, { engine: llama }]);
    expect(await multi.health?.()).toMatchObject({
      backend: 'CUDA',
      devices: ['NVIDIA GeForce RTX 4090'],
      modelVramGb: { 'llama-3.1-8b': 5.6 },
    });
  });

  function painter(): Engine {
    return namedEngine('painter', { image: ['sd15'] });
  }
});
