import { describe, expect, it } from 'vitest';
import {
  advertisedModels,
  createModelCatalog,
  localModel,
} from '../../../../src/core/engine/remote/models.js';

describe('localModel', () => {
  it('maps a studio id through model_map, else keeps it', () => {
    const map = { 'llama-3-8b': 'llama3:latest' };
    expect(localModel(map, 'llama-3-8b')).toBe('llama3:latest');
    expect(localModel(map, 'qwen2.5')).toBe('qwen2.5');
  });

  it('does not treat inherited object keys as entries', () => {
    expect(localModel({}, 'constructor')).toBe('constructor');
  });
});

describe('advertisedModels', () => {
  it('lists what the server has and the ids mapped to it, sorted, once each', () => {
    const map = { a: 'x', b: 'missing', c: 'x', x: 'x' };
    expect(advertisedModels(map, ['y', 'x', 'y'])).toEqual(['a', 'c', 'x', 'y']);
  });

  it('counts a mapped alias as something the server has, without listing the alias', () => {
    expect(advertisedModels({ fast: 'Turbo [abc]' }, ['Turbo'], ['Turbo [abc]'])).toEqual([
      'Turbo',
      'fast',
    ]);
  });
});

describe('createModelCatalog', () => {
  it('keeps the newer result when an older discovery finishes last', async () => {
    const pending: Array<(models: string[]) => void> = [];
    const catalog = createModelCatalog<string[]>({
      discover: () => new Promise((resolve) => pending.push(resolve)),
      advertise: (found) => found,
    });
    const older = catalog.refresh();
    const newer = catalog.refresh();
    pending[1]!(['new']);
    await newer;
    pending[0]!(['old']);
    await older;
    expect(catalog.advertised()).toEqual(['new']);
    expect(catalog.current()).toEqual(['new']);
  });

  it('reports an error that is not from a server as unreachable', async () => {
    const catalog = createModelCatalog<string[]>({
      discover: () => Promise.reject(new Error('no route')),
      advertise: (found) => found,
      now: () => 0,
    });
    expect(await catalog.health()).toEqual({
      reachable: false,
      models: [],
      error: 'no route',
      checkedAt: '1970-01-01T00:00:00.000Z',
    });
  });
});
