import { describe, expect, it } from 'vitest';
import { createJobQueue } from '../../src/studio-sim/queue.js';
import type { Capabilities } from '../../src/studio-sim/schemas.js';

function setup(overrides: { leaseMs?: number; maxAttempts?: number } = {}) {
  let time = 0;
  const queue = createJobQueue({
    leaseMs: overrides.leaseMs ?? 1000,
    maxAttempts: overrides.maxAttempts ?? 3,
    now: () => time,
    changed: () => undefined,
  });
  return { queue, advance: (ms: number) => (time += ms) };
}

const caps = {
  machineName: 'm',
  username: 'u',
  agentVersion: '1',
  engine: 'synthetic',
  vramTotalGb: 8,
  vramThresholdGb: 8,
  autoEnabled: true,
  autoStart: false,
  supportedModels: ['m'],
  taskKinds: ['image'],
  supportedModelsPerKind: { image: ['m'] },
} satisfies Capabilities;

describe('createJobQueue', () => {
  it('keeps a requeued job ahead of younger jobs', () => {
    const { queue } = setup();
    queue.enqueue({ jobId: 'old', model: 'm' });
    queue.enqueue({ jobId: 'young', model: 'm' });
    queue.claim('w-1', caps);
    queue.fail('old', 'w-1', { error: 'oom', retryable: true });
    expect(queue.claim('w-2', caps)?.jobId).toBe('old');
  });

  it('counts an expired lease as an attempt and fails the job after the last one', () => {
    const { queue, advance } = setup({ leaseMs: 100, maxAttempts: 2 });
    queue.enqueue({ jobId: 'j', model: 'm' });
    queue.claim('w-1', caps);
    advance(100);
    expect(queue.get('j')).toMatchObject({ state: 'queued', attempts: 1 });
    queue.claim('w-1', caps);
    advance(100);
    expect(queue.get('j')).toMatchObject({
      state: 'failed',
      attempts: 2,
      error: { retryable: false },
    });
  });

  it('refuses a completion after the lease moved to another worker', () => {
    const { queue, advance } = setup({ leaseMs: 100 });
    queue.enqueue({ jobId: 'j', model: 'm' });
    queue.claim('w-1', caps);
    advance(100);
    queue.claim('w-2', caps);
    const verdict = queue.complete('j', 'w-1', { kind: 'json', value: 1, prompt: '' });
    expect(verdict).toMatchObject({ ok: false, status: 409 });
    expect(queue.get('j')).toMatchObject({ state: 'leased', workerId: 'w-2', completions: 0 });
  });

  it('names generated jobs job-<n> and skips ids already taken', () => {
    const { queue } = setup();
    queue.enqueue({ jobId: 'job-2', model: 'm' });
    expect(queue.enqueue({ model: 'm' })).toBe('job-3');
  });

  it('rejects a duplicate jobId', () => {
    const { queue } = setup();
    queue.enqueue({ jobId: 'a', model: 'm' });
    expect(() => queue.enqueue({ jobId: 'a', model: 'm' })).toThrow(/already a job a/);
  });

  it('rejects a jobId that cannot travel in a URL path', () => {
    const { queue } = setup();
    expect(() => queue.enqueue({ jobId: '../x', model: 'm' })).toThrow(/jobId/);
  });

  it('rejects a negative vram estimate', () => {
    const { queue } = setup();
    expect(() => queue.enqueue({ model: 'm', vramGbEstimate: -1 })).toThrow(/>= 0 \(got -1\)/);
  });

  it('hands out views that do not alias its state', () => {
    const { queue } = setup();
    queue.enqueue({ jobId: 'j', model: 'm', task: { kind: 'image', prompt: 'p' } });
    const view = queue.get('j')!;
    view.state = 'failed';
    (view.task as { prompt: string }).prompt = 'changed';
    expect(queue.get('j')).toMatchObject({ state: 'queued', task: { prompt: 'p' } });
  });
});
