import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fetch, FormData } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startStudioSim,
  type StudioSim,
  type StudioSimOptions,
} from '../../src/studio-sim/index.js';
import {
  claim,
  claimJobId,
  complete,
  completeJson,
  errorOf,
  fail,
  post,
  register,
  resultForm,
  type Registered,
} from './sim-client.js';

let sim: StudioSim;
let worker: Registered;

beforeEach(async () => {
  sim = await startStudioSim();
  worker = await register(sim);
});

afterEach(async () => {
  await sim.close();
});

/** Enqueues a job and lets `worker` claim it. */
async function leased(jobId: string, model = 'flux-dev'): Promise<void> {
  sim.enqueue({ jobId, model });
  expect(await claimJobId(sim, worker)).toBe(jobId);
}

/** A small, well-formed webp upload for `jobId`. */
function webpForm(jobId: string): FormData {
  return resultForm(jobId, Buffer.from('RIFF'), 'webp', 'image/webp');
}

/** Replaces the sim of this test with one started with `options`, and registers a worker. */
async function restart(options: StudioSimOptions): Promise<void> {
  await sim.close();
  sim = await startStudioSim(options);
  worker = await register(sim);
}

describe('complete (multipart)', () => {
  it('stores the uploaded bytes with their ext, content type and prompt', async () => {
    sim.enqueue({ jobId: 'img-1', model: 'flux-dev', ext: 'png' });
    await claimJobId(sim, worker);
    const bytes = randomBytes(300_000);
    const res = await complete(
      sim,
      worker,
      'img-1',
      resultForm('img-1', bytes, 'png', 'image/png'),
    );
    expect(res.status).toBe(200);
    const job = sim.job('img-1');
    expect(job).toMatchObject({ state: 'completed', completions: 1 });
    expect(job?.result).toMatchObject({
      kind: 'file',
      ext: 'png',
      contentType: 'image/png',
      prompt: 'a red fox',
      bytes: bytes.length,
      filename: 'img-1.png',
    });
    const path = job?.result?.kind === 'file' ? job.result.path : '';
    expect(path.startsWith(sim.resultsDir)).toBe(true);
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });

  it('serves the stored result at /results/<jobId> with its content type', async () => {
    await leased('snd');
    const bytes = randomBytes(1000);
    await complete(sim, worker, 'snd', resultForm('snd', bytes, 'wav', 'audio/wav'));
    const res = await fetch(`${sim.url}/results/snd`);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('streams a large upload to disk intact', async () => {
    await leased('big');
    const bytes = randomBytes(24 * 1024 * 1024);
    const res = await complete(sim, worker, 'big', resultForm('big', bytes, 'mp4', 'video/mp4'));
    expect(res.status).toBe(200);
    const result = sim.job('big')?.result;
    expect(result?.kind === 'file' && (await readFile(result.path)).equals(bytes)).toBe(true);
  });

  it('answers 409 to a second completion and accepts only one', async () => {
    await leased('dup');
    const form = () => resultForm('dup', Buffer.from('abc'), 'webp', 'image/webp');
    expect((await complete(sim, worker, 'dup', form())).status).toBe(200);
    const again = await complete(sim, worker, 'dup', form());
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatch(/already completed/);
    expect(sim.job('dup')?.completions).toBe(1);
    expect(sim.job('dup')?.history.map((event) => event.kind)).toContain('completion-rejected');
  });

  it('accepts one of two racing completions of the same job', async () => {
    await leased('race');
    const form = () => resultForm('race', randomBytes(2_000_000), 'webp', 'image/webp');
    const statuses = (
      await Promise.all([
        complete(sim, worker, 'race', form()),
        complete(sim, worker, 'race', form()),
      ])
    ).map((res) => res.status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
    expect(sim.job('race')?.completions).toBe(1);
  });

  it('answers 409 when another worker holds the lease', async () => {
    const other = await register(sim);
    await leased('held');
    const res = await complete(sim, other, 'held', webpForm('held'));
    expect(res.status).toBe(409);
    expect(sim.job('held')?.state).toBe('leased');
  });

  it('answers 404 for an unknown job', async () => {
    const res = await complete(sim, worker, 'ghost', webpForm('ghost'));
    expect(res.status).toBe(404);
  });

  it('answers 400 when the file part filename is not <jobId>.<ext>', async () => {
    await leased('named');
    const form = new FormData();
    form.append('prompt', 'p');
    form.append('ext', 'png');
    form.append('image', new Blob([Buffer.from('x')], { type: 'image/png' }), 'result.png');
    const res = await complete(sim, worker, 'named', form);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/named\.png/);
    expect(sim.job('named')?.state).toBe('leased');
  });

  it('answers 400 when the file part content type does not follow the ext', async () => {
    await leased('typed');
    const res = await complete(
      sim,
      worker,
      'typed',
      resultForm('typed', Buffer.from('x'), 'png', 'image/webp'),
    );
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/image\/png/);
  });

  it('answers 400 when there is no part named image', async () => {
    await leased('nofile');
    const form = new FormData();
    form.append('prompt', 'p');
    form.append('ext', 'png');
    const res = await complete(sim, worker, 'nofile', form);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/no file part named "image"/);
  });

  it('answers 413 when the file is over the upload limit', async () => {
    await restart({ maxUploadBytes: 1000 });
    await leased('huge');
    const res = await complete(
      sim,
      worker,
      'huge',
      resultForm('huge', randomBytes(5000), 'webp', 'image/webp'),
    );
    expect(res.status).toBe(413);
    expect(sim.job('huge')?.state).toBe('leased');
  });
});

describe('complete-json', () => {
  it('stores the JSON result and prompt', async () => {
    sim.enqueue({ jobId: 'chat', model: 'llama-3', task: { kind: 'llm', messages: [] } });
    await claimJobId(sim, worker);
    const result = {
      object: 'chat.completion',
      choices: [{ message: { role: 'assistant', content: 'hi' } }],
    };
    const res = await completeJson(sim, worker, 'chat', result);
    expect(res.status).toBe(200);
    expect(sim.job('chat')).toMatchObject({
      state: 'completed',
      completions: 1,
      result: { kind: 'json', value: result, prompt: 'hello' },
    });
  });

  it('answers 400 when body.jobId differs from the path', async () => {
    await leased('j1', 'llama-3');
    const res = await post(sim, `workers/${worker.workerId}/jobs/j1/complete-json`, {
      token: worker.authToken,
      json: { jobId: 'j2', prompt: '', result: {}, resultKind: 'json' },
    });
    expect(res.status).toBe(400);
  });

  it('answers 409 to a duplicate completion', async () => {
    await leased('j1', 'llama-3');
    await completeJson(sim, worker, 'j1', { text: 'a' });
    expect((await completeJson(sim, worker, 'j1', { text: 'b' })).status).toBe(409);
    expect(sim.job('j1')?.result).toMatchObject({ value: { text: 'a' } });
  });
});

describe('fail', () => {
  it('requeues a retryable failure and counts the attempt', async () => {
    await leased('r');
    const res = await fail(sim, worker, 'r', 'CUDA out of memory', true);
    expect(res.status).toBe(200);
    expect(sim.job('r')).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: { error: 'CUDA out of memory', retryable: true },
    });
    expect(await claimJobId(sim, worker)).toBe('r');
    expect(sim.job('r')?.attempts).toBe(2);
  });

  it('fails the job for good once attempts reach maxAttempts', async () => {
    await restart({ maxAttempts: 2 });
    sim.enqueue({ jobId: 'r', model: 'flux-dev' });
    for (let i = 0; i < 2; i++) {
      await claimJobId(sim, worker);
      await fail(sim, worker, 'r', 'flaky', true);
    }
    expect(sim.job('r')).toMatchObject({ state: 'failed', attempts: 2 });
    expect((await claim(sim, worker)).status).toBe(204);
  });

  it('fails a non-retryable failure at once', async () => {
    await leased('n');
    await fail(sim, worker, 'n', 'synthetic engine cannot serve video tasks', false);
    expect(sim.job('n')).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('answers 409 for a job that is already completed', async () => {
    await leased('c', 'llama-3');
    await completeJson(sim, worker, 'c', {});
    expect((await fail(sim, worker, 'c', 'late', true)).status).toBe(409);
    expect(sim.job('c')?.state).toBe('completed');
  });
});

describe('leases', () => {
  it('requeues a job whose lease expires', async () => {
    await restart({ leaseMs: 50 });
    await leased('slow');
    await sim.waitFor(() => sim.job('slow')?.state === 'queued', 2000);
    expect(sim.job('slow')?.history.map((event) => event.kind)).toContain('lease-expired');
    const late = await completeJson(sim, worker, 'slow', {});
    expect(late.status).toBe(409);
  });

  it('expires leases by the injected clock', async () => {
    let time = 1_000_000;
    await restart({ leaseMs: 60_000, now: () => time });
    await leased('j');
    expect(sim.job('j')?.leaseExpiresAt).toBe(1_060_000);
    time += 60_000;
    expect(sim.job('j')?.state).toBe('queued');
  });
});
