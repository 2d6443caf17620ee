import { describe, expect, it } from 'vitest';
import {
  createSyntheticEngine,
  SYNTHETIC_MODELS,
} from '../../../../src/core/engine/synthetic/index.js';
import { isUnsupportedKind } from '../../../../src/core/task/task.js';
import { imageTask, llmTask, videoTask } from './tasks.js';

describe('synthetic engine', () => {
  it('is named synthetic and serves every kind with its default models', () => {
    const engine = createSyntheticEngine();
    expect(engine.name).toBe('synthetic');
    expect(engine.capabilities()).toEqual(SYNTHETIC_MODELS);
  });

  it('does not let a caller change its capabilities by editing the returned lists', () => {
    const engine = createSyntheticEngine();
    engine.capabilities().image!.push('sneaky');
    expect(engine.capabilities().image).not.toContain('sneaky');
  });

  it("serves the original worker's synthetic model ids for each kind", () => {
    expect(createSyntheticEngine().capabilities()).toEqual({
      image: ['synthetic-image', 'flux1-dev', 'flux1-dev-i2i', 'sdxl-1.0', 'synthetic'],
      llm: ['synthetic-llm', 'llama-3.1-8b-instruct-q4', 'synthetic'],
      audio_stt: ['synthetic-stt', 'whisper-medium', 'synthetic'],
      audio_tts: ['synthetic-tts', 'piper-en', 'synthetic'],
      video: ['synthetic-video', 'synthetic'],
    });
  });

  it('runs a job with model `synthetic`, as the original studio queues them', async () => {
    const engine = createSyntheticEngine();
    const signal = new AbortController().signal;
    expect((await engine.run('synthetic', imageTask(), signal)).type).toBe('bytes');
    expect((await engine.run('synthetic', llmTask(), signal)).type).toBe('json');
    expect((await engine.run('flux1-dev', imageTask(), signal)).type).toBe('bytes');
    expect((await engine.run('llama-3.1-8b-instruct-q4', llmTask(), signal)).type).toBe('json');
  });

  it('rejects a model it does not have for the kind, naming model and kind', async () => {
    const engine = createSyntheticEngine();
    await expect(
      engine.run('synthetic-llm', imageTask(), new AbortController().signal),
    ).rejects.toThrow('synthetic engine does not have model synthetic-llm for image tasks');
  });

  it('rejects a kind left out of its models with a cannot-serve error', async () => {
    const engine = createSyntheticEngine({ models: { llm: ['tiny'] } });
    const error = await engine
      .run('tiny', imageTask(), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(isUnsupportedKind(error)).toBe(true);
    expect((error as Error).message).toBe('synthetic engine cannot serve image tasks');
  });

  it('runs a task with a model given in its options', async () => {
    const engine = createSyntheticEngine({ models: { llm: ['tiny'] } });
    const result = await engine.run('tiny', llmTask(), new AbortController().signal);
    expect(result).toMatchObject({ type: 'json', value: { model: 'tiny' } });
  });

  it('rejects a negative delay when it is created', () => {
    expect(() => createSyntheticEngine({ delayMs: -1 })).toThrow(
      'synthetic engine delayMs must be a finite number >= 0 (got -1)',
    );
  });

  it('rejects with an AbortError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('job timed out'));
    await expect(
      createSyntheticEngine().run('synthetic-image', imageTask(), controller.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
      message: 'synthetic engine run was aborted (job timed out)',
    });
  });

  it('rejects promptly when aborted during its delay', async () => {
    const controller = new AbortController();
    const engine = createSyntheticEngine({ delayMs: 60_000 });
    const started = Date.now();
    const run = engine.run('synthetic-image', imageTask(), controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects promptly when aborted while painting', async () => {
    const controller = new AbortController();
    const task = videoTask({ seconds: 6, width: 512, height: 512 });
    const run = createSyntheticEngine().run('synthetic-video', task, controller.signal);
    const started = Date.now();
    setImmediate(() => controller.abort());
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('finishes a run after its delay when not aborted', async () => {
    const engine = createSyntheticEngine({ delayMs: 20 });
    const result = await engine.run('synthetic-llm', llmTask(), new AbortController().signal);
    expect(result.type).toBe('json');
  });
});
