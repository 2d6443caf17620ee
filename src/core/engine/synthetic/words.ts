// Seeded prose for the synthetic llm and speech-to-text results: readable sentences made of a
// small vocabulary, with exactly the number of words asked for (a word counts as one token).
import { intBetween, type Random } from './seed.js';

const VOCABULARY = [
  'the',
  'studio',
  'render',
  'quiet',
  'light',
  'river',
  'model',
  'signal',
  'bright',
  'forest',
  'worker',
  'gentle',
  'pixel',
  'canvas',
  'distant',
  'colour',
  'evening',
  'shape',
  'window',
  'sound',
  'echo',
  'garden',
  'stone',
  'cloud',
  'golden',
  'story',
  'careful',
  'small',
  'open',
  'morning',
  'path',
  'harbour',
  'soft',
  'green',
  'mountain',
  'letter',
  'paper',
  'warm',
  'silver',
  'field',
  'answer',
  'question',
  'simple',
  'frame',
  'motion',
  'still',
  'clear',
  'deep',
] as const;

/** `count` words in sentences of 4 to 11 words, each capitalised and ending with a full stop. */
export function prose(random: Random, count: number): string {
  const sentences: string[] = [];
  let left = count;
  while (left > 0) {
    const length = Math.min(left, intBetween(random, 4, 11));
    const words: string[] = [];
    while (words.length < length) {
      const word = VOCABULARY[intBetween(random, 0, VOCABULARY.length - 1)]!;
      // Never the same word twice in a row: "stone stone" reads like a bug, not like prose.
      if (word !== words.at(-1)) words.push(word);
    }
    const sentence = words.join(' ');
    sentences.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
    left -= length;
  }
  return sentences.join(' ');
}

/** The words of `text` as the synthetic engine counts tokens: runs of non-whitespace. */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}
