import { describe, expect, it } from 'vitest';
import { syntheticFromSettings } from '../../../../src/core/engine/synthetic/from-settings.js';

describe('syntheticFromSettings', () => {
  it('serves only the listed kinds, with its default model for each', () => {
    const engine = syntheticFromSettings({ where: 'engines[0]', kinds: ['llm'], options: {} });
    expect(engine.capabilities()).toEqual({
      llm: ['synthetic-llm', 'llama-3.1-8b-instruct-q4', 'synthetic'],
    });
  });

  it('serves the listed models for every listed kind', () => {
    const engine = syntheticFromSettings({
      where: 'engines[0]',
      kinds: ['image', 'video'],
      models: ['m1'],
      options: {},
    });
    expect(engine.capabilities()).toEqual({ image: ['m1'], video: ['m1'] });
  });
});
