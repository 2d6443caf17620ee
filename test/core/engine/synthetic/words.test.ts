import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../../src/core/engine/synthetic/seed.js';
import { prose, wordsOf } from '../../../../src/core/engine/synthetic/words.js';

describe('prose', () => {
  it('has exactly the number of words asked for', () => {
    expect(wordsOf(prose(createRandom(1), 37))).toHaveLength(37);
  });

  it('is made of capitalised sentences ending with a full stop', () => {
    expect(prose(createRandom(2), 20)).toMatch(/^([A-Z][a-z ]*\.)( [A-Z][a-z ]*\.)*$/);
  });

  it('never repeats a word right after itself', () => {
    const words = wordsOf(prose(createRandom(3), 500).toLowerCase().replace(/\./g, ''));
    expect(words.some((word, index) => word === words[index - 1])).toBe(false);
  });
});
