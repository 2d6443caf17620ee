// Synthetic audio tasks. Speech-to-text returns a seeded transcript derived from the input URL
// (which is never fetched). Text-to-speech returns a real WAV: one soft tone per character of the
// text, pitched on a pentatonic scale around a per-voice base note, silence for spaces and
// punctuation. WAV is the only audio format written here, so the ext is always 'wav'.
import type { EngineResult } from '../engine.js';
import type { SttTask, TtsTask } from '../../task/task.js';
import { createRandom, hash32, intBetween } from './seed.js';
import { encodeWav } from './wav.js';
import { prose, wordsOf } from './words.js';

export const TTS_SAMPLE_RATE = 16_000;
/** Each character of the text lasts this long, so the duration is proportional to the text. */
export const TTS_SECONDS_PER_CHAR = 0.06;
/** Characters spoken at most (30 s of audio); the rest of a longer text is left out. */
export const TTS_MAX_CHARS = 500;
/** Seconds of speech per transcript word, for the made-up `duration` of a transcription. */
const STT_SECONDS_PER_WORD = 0.4;

/** Semitone steps of a major pentatonic scale over two octaves: any sequence sounds calm. */
const PENTATONIC = [0, 2, 4, 7, 9, 12, 14, 16, 19, 21] as const;
/** Fade in/out of each tone, so that tones join without clicks. */
const FADE_SECONDS = 0.008;
const AMPLITUDE = 0.3;

export interface Transcription {
  text: string;
  language: string;
  duration: number;
}

export function transcribe(task: SttTask): Transcription {
  const random = createRandom(hash32(`stt:${task.input_url}`));
  const text = prose(random, intBetween(random, 6, 24));
  const duration = Math.round(wordsOf(text).length * STT_SECONDS_PER_WORD * 100) / 100;
  return { text, language: task.language ?? 'en', duration };
}

export function speak(task: TtsTask): EngineResult {
  const chars = Array.from(task.text).slice(0, TTS_MAX_CHARS);
  // An empty text still gets one character's worth of silence: a WAV with no samples is useless.
  const charSamples = Math.round(TTS_SECONDS_PER_CHAR * TTS_SAMPLE_RATE);
  const samples = new Float32Array(Math.max(1, chars.length) * charSamples);
  const base = baseFrequencyFor(task.voice);
  chars.forEach((char, index) => {
    if (!/[\p{L}\p{N}]/u.test(char)) return;
    const step = PENTATONIC[char.toLowerCase().codePointAt(0)! % PENTATONIC.length]!;
    writeTone(samples, index * charSamples, charSamples, base * 2 ** (step / 12));
  });
  return { type: 'bytes', ext: 'wav', data: encodeWav(samples, TTS_SAMPLE_RATE) };
}

/** 220 Hz (A3) for the default voice; any other voice gets its own base between 150 and 330 Hz. */
function baseFrequencyFor(voice: string): number {
  return voice === 'default' ? 220 : 150 + (hash32(`voice:${voice}`) % 180);
}

function writeTone(samples: Float32Array, start: number, length: number, frequency: number): void {
  const fade = Math.round(FADE_SECONDS * TTS_SAMPLE_RATE);
  for (let i = 0; i < length; i++) {
    const time = i / TTS_SAMPLE_RATE;
    const envelope = Math.min(1, i / fade, (length - 1 - i) / fade);
    // A little second harmonic makes the tone less thin than a pure sine.
    const wave =
      Math.sin(2 * Math.PI * frequency * time) + 0.3 * Math.sin(4 * Math.PI * frequency * time);
    samples[start + i] = (AMPLITUDE * envelope * wave) / 1.3;
  }
}
