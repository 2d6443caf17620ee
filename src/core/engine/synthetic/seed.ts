// Seeds for the synthetic engine: a stable 32-bit hash of text and a small seeded random number
// generator, so that the same task always produces the same bytes on every machine.
import { createHash } from 'node:crypto';

/** A stable 32-bit unsigned hash of `text` (the first four bytes of its SHA-256). */
export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** `hash32` as eight hex digits, for ids. */
export function hashHex(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32: tiny, fast, good enough for art). */
export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [min, max) drawn from `random`. */
export function between(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}

/** An integer in [min, max] drawn from `random`. */
export function intBetween(random: Random, min: number, max: number): number {
  return Math.min(max, Math.floor(between(random, min, max + 1)));
}
