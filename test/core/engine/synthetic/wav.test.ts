import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../../../src/core/engine/synthetic/wav.js';
import { readWav } from './wav-reader.js';

describe('encodeWav', () => {
  it('stores samples as 16-bit integers, clipping values outside [-1, 1]', () => {
    const wav = readWav(encodeWav(new Float32Array([0, 0.5, -1, 2, -3]), 8000));
    expect(Array.from(wav.samples)).toEqual([0, 16384, -32767, 32767, -32767]);
  });

  it('writes the sample rate and a data length of two bytes per sample', () => {
    const wav = readWav(encodeWav(new Float32Array(10), 22_050));
    expect([wav.sampleRate, wav.dataBytes]).toEqual([22_050, 20]);
  });
});
