import { describe, expect, it } from 'vitest';
import type { Engine, EngineCapabilities } from '../../../src/core/engine/engine.js';
import { createMultiEngine } from '../../../src/core/engine/multi.js';
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
