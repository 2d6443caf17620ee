import { describe, expect, it } from 'vitest';
import {
  TTS_MAX_CHARS,
  TTS_SAMPLE_RATE,
  TTS_SECONDS_PER_CHAR,
} from '../../../../src/core/engine/synthetic/audio.js';
import { runBytes, runJson, sttTask, ttsTask } from './tasks.js';
import { readWav } from './wav-reader.js';

const samplesPerChar = TTS_SECONDS_PER_CHAR * TTS_SAMPLE_RATE;

describe('synthetic speech-to-text', () => {
  it('returns text, language and duration derived from the input url', async () => {
    const value = (await runJson(sttTask())) as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['duration', 'language', 'text']);
    expect(value.text).toMatch(/\w+/);
    expect(value.language).toBe('en');
    expect(value.duration).toBeGreaterThan(0);
  });

  it('reports the language the task asked for', async () => {
    expect(await runJson(sttTask({ language: 'de' }))).toMatchObject({ language: 'de' });
  });

  it('transcribes the same url the same way and another url differently', async () => {
    const first = await runJson(sttTask({ input_url: 'https://example.com/a.wav' }));
    const again = await runJson(sttTask({ input_url: 'https://example.com/a.wav' }));
    const other = await runJson(sttTask({ input_url: 'https://example.com/b.wav' }));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});

describe('synthetic text-to-speech', () => {
  it('writes a 16-bit mono PCM WAV at the tts sample rate', async () => {
    const wav = readWav((await runBytes(ttsTask({ text: 'hello' }))).data);
    expect(wav).toMatchObject({
      audioFormat: 1,
      channels: 1,
      sampleRate: TTS_SAMPLE_RATE,
      bitsPerSample: 16,
    });
  });

  it('makes the audio last in proportion to the text', async () => {
    const result = await runBytes(ttsTask({ text: 'hello world' }));
    const wav = readWav(result.data);
    expect(wav.dataBytes).toBe(11 * samplesPerChar * 2);
    expect(wav.riffSize).toBe(result.data.length - 8);
  });

  it('answers a request for mp3 with wav bytes and ext wav', async () => {
    const result = await runBytes(ttsTask({ ext: 'mp3' }));
    expect(result.ext).toBe('wav');
    expect(readWav(result.data).audioFormat).toBe(1);
  });

  it('caps the duration of a very long text', async () => {
    const wav = readWav((await runBytes(ttsTask({ text: 'la '.repeat(2000) }))).data);
    expect(wav.samples.length).toBe(TTS_MAX_CHARS * samplesPerChar);
  });

  it('writes audible tones for letters', async () => {
    const wav = readWav((await runBytes(ttsTask({ text: 'ab' }))).data);
    expect(Math.max(...wav.samples)).toBeGreaterThan(1000);
  });

  it('produces the same bytes for the same text and different bytes for another', async () => {
    const first = await runBytes(ttsTask({ text: 'good morning' }));
    const again = await runBytes(ttsTask({ text: 'good morning' }));
    const other = await runBytes(ttsTask({ text: 'good evening' }));
    expect(again.data.equals(first.data)).toBe(true);
    expect(other.data.equals(first.data)).toBe(false);
  });

  it('gives an empty text one character of silence rather than an empty file', async () => {
    const wav = readWav((await runBytes(ttsTask({ text: '' }))).data);
    expect(wav.samples.length).toBe(samplesPerChar);
    expect(wav.samples.every((sample) => sample === 0)).toBe(true);
  });
});
