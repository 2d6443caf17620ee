// A worker with the built-in llama engine against the local studio: an llm job runs on a real
// tiny model (its tokens stream into the snapshot's current job), and the job timeout aborts a
// generation that would run far longer.
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaEngine } from '../../src/core/engine/llama/index.js';
import type { Clock } from '../../src/core/runtime/clock.js';
import { systemClock } from '../../src/core/runtime/clock.js';
import type { JobProgress } from '../../src/shared/snapshot.js';
import { cpuBackend, writeTinyModel } from '../core/engine/llama/tiny-model.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function llamaHarness(config: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const engine = createLlamaEngine({
    modelFiles: { 'tiny-llama': await writeTinyModel() },
    gpu: 'cpu',
    threads: 1,
    contextSize: 256,
    unloadAfterIdleMs: 600_000,
    startBackend: () => cpuBackend(),
  });
  harness = await startHarness({ ...config, engine });
  return harness;
}

function llmJob(maxTokens: number) {
  return {
    model: 'tiny-llama',
    vramGbEstimate: 1,
    task: {
      kind: 'llm',
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      max_tokens: maxTokens,
      temperature: 0,
    },
  };
}

describe('the built-in llama engine in a running worker', () => {
  it('completes an llm job with a chat completion and shows its tokens as progress', async () => {
    // Real time: a real studio, worker and llama.cpp generation.
    const h = await llamaHarness();
    const seen: JobProgress[] = [];
    h.worker.observers.subscribe(() => {
      const progress = h.worker.observers.snapshot().currentJob?.progress;
      if (progress) seen.push(progress);
    });
    const id = h.sim.enqueue(llmJob(8));
    await eventually(() => h.sim.job(id)?.state === 'completed', 'the llm job completed', 60_000);
    expect(h.sim.job(id)?.result).toMatchObject({
      kind: 'json',
      prompt: 'Tell me a story.',
      value: {
        object: 'chat.completion',
        model: 'tiny-llama',
        usage: { completion_tokens: 8 },
        choices: [{ finish_reason: 'length' }],
      },
    });
    expect(seen[0]).toMatchObject({ unit: 'tokens', done: 0, total: 8 });
    expect(seen.at(-1)).toMatchObject({ unit: 'tokens', done: 8, total: 8 });
  }, 90_000);

  it('aborts the generation when the job times out, and reports a retryable failure', async () => {
    // Real time, sped up: the worker's timers run ten times fast, so the smallest job timeout
    // (10 s) ends the real generation after one real second.
    const fastTimers: Clock = {
      ...systemClock,
      setTimer: (callback, ms) => systemClock.setTimer(callback, ms / 10),
    };
    const h = await llamaHarness({
      sim: { maxAttempts: 1 },
      config: { job_timeout_secs: 10 },
      clock: fastTimers,
    });
    const id = h.sim.enqueue(llmJob(100_000));
    await eventually(() => h.sim.job(id)?.state === 'failed', 'the job failed', 60_000);
    // The studio hears of the failure just before the worker files the job as finished.
    await eventually(
      () => h.worker.observers.snapshot().recentJobs.length > 0,
      'the job in the recent jobs',
    );
    const recent = h.worker.observers.snapshot().recentJobs[0];
    expect(recent?.outcome).toEqual({
      kind: 'failed',
      error: 'job timed out after 10 s (job_timeout_secs)',
      retryable: true,
    });
    expect(recent!.durationMs).toBeLessThan(10_000);
  }, 90_000);
});
