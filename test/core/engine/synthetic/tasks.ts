// Test helpers: tasks with the protocol's defaults, and running them on a synthetic engine.
import { expect } from 'vitest';
import type { Engine } from '../../../../src/core/engine/engine.js';
import { createSyntheticEngine } from '../../../../src/core/engine/synthetic/index.js';
import type {
  ImageTask,
  LlmTask,
  SttTask,
  TtsTask,
  VideoTask,
} from '../../../../src/core/task/task.js';

export function imageTask(overrides: Partial<ImageTask> = {}): ImageTask {
  return {
    kind: 'image',
    prompt: 'a lighthouse at dusk',
    width: 64,
    height: 48,
    steps: 20,
    seed: null,
    ext: 'png',
    ...overrides,
  };
}

export function llmTask(overrides: Partial<LlmTask> = {}): LlmTask {
  return {
    kind: 'llm',
    messages: [{ role: 'user', content: 'Describe a quiet harbour' }],
    max_tokens: 512,
    temperature: 0.7,
    ...overrides,
  };
}

export function sttTask(overrides: Partial<SttTask> = {}): SttTask {
  return {
    kind: 'audio_stt',
    input_url: 'https://example.com/a.wav',
    language: null,
    ...overrides,
  };
}

export function ttsTask(overrides: Partial<TtsTask> = {}): TtsTask {
  return { kind: 'audio_tts', text: 'hello there', voice: 'default', ext: 'wav', ...overrides };
}

export function videoTask(overrides: Partial<VideoTask> = {}): VideoTask {
  return {
    kind: 'video',
    prompt: 'waves on a beach',
    seconds: 0.5,
    width: 48,
    height: 32,
    ext: 'mp4',
    ...overrides,
  };
}

const MODEL_FOR = {
  image: 'synthetic-image',
  llm: 'synthetic-llm',
  audio_stt: 'synthetic-stt',
  audio_tts: 'synthetic-tts',
  video: 'synthetic-video',
} as const;

type AnyTask = ImageTask | LlmTask | SttTask | TtsTask | VideoTask;

/** Runs `task` with the default synthetic model of its kind and expects bytes. */
export async function runBytes(
  task: AnyTask,
  engine: Engine = createSyntheticEngine(),
): Promise<{ ext: string; data: Buffer }> {
  const result = await engine.run(MODEL_FOR[task.kind], task, new AbortController().signal);
  if (result.type !== 'bytes') expect.fail(`expected bytes, got ${result.type}`);
  return { ext: result.ext, data: Buffer.from(result.data) };
}

/** Runs `task` with the default synthetic model of its kind and expects JSON. */
export async function runJson(task: AnyTask): Promise<unknown> {
  const engine = createSyntheticEngine();
  const result = await engine.run(MODEL_FOR[task.kind], task, new AbortController().signal);
  if (result.type !== 'json') expect.fail(`expected json, got ${result.type}`);
  return result.value;
}
