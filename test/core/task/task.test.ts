import { describe, expect, it } from 'vitest';
import {
  claimedJobSchema,
  isUnsupportedKind,
  promptFor,
  resolveTask,
} from '../../../src/core/task/task.js';

const base = { jobId: 'j1', gameId: 'g', assetName: 'a', model: 'm', vramGbEstimate: 4 };

describe('claimed job', () => {
  it('fills the protocol defaults for a legacy job without a task', () => {
    const job = claimedJobSchema.parse(base);
    expect(job.prompt).toBe('');
    expect(job.ext).toBe('webp');
  });

  it('turns a legacy job into an image task from the top-level prompt and ext', () => {
    const job = claimedJobSchema.parse({ ...base, prompt: 'a cat', ext: 'png' });
    expect(resolveTask(job)).toEqual({
      kind: 'image',
      prompt: 'a cat',
      width: 512,
      height: 512,
      steps: 20,
      seed: null,
      ext: 'png',
    });
  });

  it("fills each task kind's defaults", () => {
    const parse = (task: object) => resolveTask(claimedJobSchema.parse({ ...base, task }));
    expect(parse({ kind: 'image', prompt: 'p' })).toMatchObject({
      width: 512,
      height: 512,
      steps: 20,
      seed: null,
      ext: 'webp',
    });
    expect(parse({ kind: 'llm', messages: [] })).toMatchObject({
      max_tokens: 512,
      temperature: 0.7,
    });
    expect(parse({ kind: 'audio_stt', input_url: 'u' })).toMatchObject({ language: null });
    expect(parse({ kind: 'audio_tts', text: 't' })).toMatchObject({ voice: 'default', ext: 'wav' });
    expect(parse({ kind: 'video', prompt: 'p' })).toMatchObject({
      seconds: 2,
      width: 512,
      height: 512,
      ext: 'mp4',
    });
  });

  it("keeps an llm task's optional seed and stop strings, bounded", () => {
    const llm = (extra: object) =>
      claimedJobSchema.safeParse({ ...base, task: { kind: 'llm', messages: [], ...extra } });
    expect(llm({ seed: 7, stop: ['\n\n', 'END'] }).data?.task).toMatchObject({
      seed: 7n,
      stop: ['\n\n', 'END'],
    });
    expect(llm({ stop: 'END' }).data?.task).toMatchObject({ stop: 'END' });
    expect(llm({}).data?.task).not.toHaveProperty('seed');
    expect(llm({ seed: 1.5 }).success).toBe(false);
    expect(llm({ stop: Array.from({ length: 9 }, (_, i) => `s${i}`) }).success).toBe(false);
    expect(llm({ stop: 'x'.repeat(257) }).success).toBe(false);
  });

  it('ignores unknown fields', () => {
    const job = claimedJobSchema.parse({
      ...base,
      priority: 3,
      task: { kind: 'image', prompt: 'p', style: 'x' },
    });
    expect(job).not.toHaveProperty('priority');
    expect(job.task).not.toHaveProperty('style');
  });

  it('rejects a job without its required fields', () => {
    expect(claimedJobSchema.safeParse({ ...base, jobId: undefined }).success).toBe(false);
    expect(claimedJobSchema.safeParse({ ...base, vramGbEstimate: 'big' }).success).toBe(false);
    expect(claimedJobSchema.safeParse({ ...base, task: { kind: 'hologram' } }).success).toBe(false);
  });
});

describe('promptFor', () => {
  const task = (t: object) => resolveTask(claimedJobSchema.parse({ ...base, task: t }));

  it('uses the prompt for image and video jobs', () => {
    expect(promptFor(task({ kind: 'image', prompt: 'cat' }))).toBe('cat');
    expect(promptFor(task({ kind: 'video', prompt: 'dog' }))).toBe('dog');
  });

  it('uses the last message for llm jobs, and "" when there is none', () => {
    const messages = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'last' },
    ];
    expect(promptFor(task({ kind: 'llm', messages }))).toBe('last');
    expect(promptFor(task({ kind: 'llm', messages: [] }))).toBe('');
  });

  it('uses input_url for speech-to-text and text for text-to-speech', () => {
    expect(promptFor(task({ kind: 'audio_stt', input_url: 'https://x/a.wav' }))).toBe(
      'https://x/a.wav',
    );
    expect(promptFor(task({ kind: 'audio_tts', text: 'hello' }))).toBe('hello');
  });
});

describe('isUnsupportedKind', () => {
  it('recognises the engines\' "cannot serve" failures', () => {
    expect(isUnsupportedKind(new Error('synthetic engine cannot serve video tasks'))).toBe(true);
    expect(isUnsupportedKind(new Error('out of memory'))).toBe(false);
  });
});

describe('what the protocol allows', () => {
  const job = (task: object) => claimedJobSchema.safeParse({ ...base, task });

  it('accepts long prompts and messages, big sizes and any temperature: those are limits, not the protocol', () => {
    expect(job({ kind: 'image', prompt: 'x'.repeat(20_001) }).success).toBe(true);
    expect(job({ kind: 'image', prompt: 'p', width: 100_000, steps: 10_000 }).success).toBe(true);
    expect(
      job({ kind: 'llm', messages: [{ role: 'user', content: 'x'.repeat(100_001) }] }).success,
    ).toBe(true);
    expect(
      job({
        kind: 'llm',
        messages: Array.from({ length: 257 }, () => ({ role: 'user', content: 'x' })),
      }).success,
    ).toBe(true);
    expect(job({ kind: 'llm', messages: [], temperature: 2.5 }).success).toBe(true);
    expect(job({ kind: 'video', prompt: 'p', seconds: 3_600 }).success).toBe(true);
  });

  it('keeps a u64 seed exact, as a bigint', () => {
    const parsed = job({ kind: 'image', prompt: 'p', seed: 18_446_744_073_709_551_615n });
    expect(parsed.success && parsed.data.task).toMatchObject({ seed: 18_446_744_073_709_551_615n });
    const small = job({ kind: 'image', prompt: 'p', seed: 42 });
    expect(small.success && small.data.task).toMatchObject({ seed: 42n });
  });

  it('refuses what breaks the protocol: wrong types, fractions, seeds beyond 64 bits', () => {
    expect(job({ kind: 'image', prompt: 'p', seed: 1.5 }).success).toBe(false);
    expect(job({ kind: 'image', prompt: 'p', seed: 2n ** 64n }).success).toBe(false);
    expect(job({ kind: 'image', prompt: 'p', seed: '7' }).success).toBe(false);
    expect(job({ kind: 'image', prompt: 'p', width: 1.5 }).success).toBe(false);
    expect(job({ kind: 'image', prompt: 'p', width: -1 }).success).toBe(false);
    expect(job({ kind: 'image', prompt: 42 }).success).toBe(false);
    expect(job({ kind: 'llm', messages: [], temperature: 'hot' }).success).toBe(false);
  });

  it('refuses a negative or non-finite VRAM estimate', () => {
    expect(claimedJobSchema.safeParse({ ...base, vramGbEstimate: -1 }).success).toBe(false);
    expect(
      claimedJobSchema.safeParse({ ...base, vramGbEstimate: Number.POSITIVE_INFINITY }).success,
    ).toBe(false);
  });
});
