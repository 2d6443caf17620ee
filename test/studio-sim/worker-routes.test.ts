import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStudioSim, type StudioSim } from '../../src/studio-sim/index.js';
import {
  capabilities,
  claim,
  errorOf,
  heartbeat,
  post,
  register,
  type Registered,
} from './sim-client.js';

let sim: StudioSim;

beforeEach(async () => {
  sim = await startStudioSim();
});

afterEach(async () => {
  await sim.close();
});

describe('register', () => {
  it('returns 201 with a workerId and an authToken for the bootstrap token', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'dev-bootstrap-token',
      json: { bootstrapToken: 'dev-bootstrap-token', capabilities: capabilities() },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Registered;
    expect(body.workerId).toMatch(/^w-\d+$/);
    expect(body.authToken.length).toBeGreaterThan(20);
    expect(sim.workers().map((w) => w.workerId)).toEqual([body.workerId]);
  });

  it('answers 401 with a JSON error when the Bearer token is wrong', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'nope',
      json: { bootstrapToken: 'dev-bootstrap-token', capabilities: capabilities() },
    });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatch(/bootstrap token/);
    expect(sim.workers()).toEqual([]);
  });

  it('answers 401 when body.bootstrapToken does not match', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'dev-bootstrap-token',
      json: { bootstrapToken: 'other', capabilities: capabilities() },
    });
    expect(res.status).toBe(401);
  });

  it('answers 400 naming the field when capabilities are invalid', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'dev-bootstrap-token',
      json: {
        bootstrapToken: 'dev-bootstrap-token',
        capabilities: capabilities({ vramThresholdGb: '8' }),
      },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/capabilities\.vramThresholdGb/);
  });

  it('answers 400 when supportedModels is not sorted', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'dev-bootstrap-token',
      json: {
        bootstrapToken: 'dev-bootstrap-token',
        capabilities: capabilities({ supportedModels: ['b', 'a'] }),
      },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/sorted/);
  });

  it('answers 400 with a message when the body is not JSON', async () => {
    const res = await post(sim, 'workers/register', {
      token: 'dev-bootstrap-token',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/not valid JSON/);
  });

  it('keeps the workerId and replaces the token when a known worker registers again', async () => {
    const first = await register(sim);
    const again = await register(sim, capabilities({ machineName: 'renamed' }), first.workerId);
    expect(again.workerId).toBe(first.workerId);
    expect(again.authToken).not.toBe(first.authToken);
    expect(sim.workers()).toHaveLength(1);
    expect(sim.workers()[0]).toMatchObject({ machineName: 'renamed', registrations: 2 });
    expect((await heartbeat(sim, first)).status).toBe(401);
    expect((await heartbeat(sim, again)).status).toBe(200);
  });

  it('gives a new id when the body names an unknown workerId', async () => {
    const worker = await register(sim, capabilities(), 'w-unknown');
    expect(worker.workerId).not.toBe('w-unknown');
  });

  it('honours a custom bootstrap token', async () => {
    await sim.close();
    sim = await startStudioSim({ bootstrapToken: 'secret-123' });
    expect(sim.bootstrapToken).toBe('secret-123');
    await expect(register(sim)).resolves.toMatchObject({ workerId: 'w-1' });
  });
});

describe('heartbeat', () => {
  it('records the capabilities and currentJobId', async () => {
    const worker = await register(sim);
    const caps = capabilities({ vramThresholdGb: 6, autoEnabled: false });
    const res = await heartbeat(sim, worker, caps, 'job-7');
    expect(res.status).toBe(200);
    const [record] = sim.heartbeats(worker.workerId);
    expect(record).toMatchObject({ workerId: worker.workerId, currentJobId: 'job-7' });
    expect(record?.capabilities.vramThresholdGb).toBe(6);
    expect(sim.workers()[0]).toMatchObject({ currentJobId: 'job-7' });
    expect(sim.workers()[0]?.lastHeartbeatAt).toBeTypeOf('number');
  });

  it('answers 401 for an unknown token', async () => {
    const worker = await register(sim);
    const res = await heartbeat(sim, { ...worker, authToken: 'forged' });
    expect(res.status).toBe(401);
  });

  it('answers 401 for a token of another worker', async () => {
    const one = await register(sim);
    const two = await register(sim);
    const res = await heartbeat(sim, { workerId: one.workerId, authToken: two.authToken });
    expect(res.status).toBe(401);
  });

  it('answers 404 for an unknown worker', async () => {
    const worker = await register(sim);
    const res = await heartbeat(sim, { workerId: 'w-99', authToken: worker.authToken });
    expect(res.status).toBe(404);
  });

  it('answers 401 once the worker is revoked', async () => {
    const worker = await register(sim);
    sim.revokeWorker(worker.workerId);
    expect((await heartbeat(sim, worker)).status).toBe(401);
    expect((await claim(sim, worker)).status).toBe(401);
    expect(sim.workers()[0]?.revoked).toBe(true);
  });

  it('answers 415 when the body is not sent as application/json', async () => {
    const worker = await register(sim);
    const res = await post(sim, `workers/${worker.workerId}/heartbeat`, {
      token: worker.authToken,
      body: JSON.stringify({ capabilities: capabilities() }),
    });
    expect(res.status).toBe(415);
  });
});

describe('claim', () => {
  it('answers 204 with an empty body when there is no job', async () => {
    const worker = await register(sim);
    const res = await claim(sim, worker);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('hands out the protocol fields and leases the job', async () => {
    const worker = await register(sim);
    sim.enqueue({ jobId: 'j1', model: 'flux-dev', vramGbEstimate: 8, prompt: 'a fox', ext: 'png' });
    const res = await claim(sim, worker);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      jobId: 'j1',
      gameId: 'game-sim',
      assetName: 'asset-1',
      model: 'flux-dev',
      vramGbEstimate: 8,
      prompt: 'a fox',
      ext: 'png',
    });
    expect(sim.job('j1')).toMatchObject({
      state: 'leased',
      workerId: worker.workerId,
      attempts: 1,
    });
  });

  it('passes the task through verbatim', async () => {
    const worker = await register(sim);
    const task = { kind: 'llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 64 };
    sim.enqueue({ model: 'llama-3', task });
    const body = (await (await claim(sim, worker)).json()) as { task: unknown };
    expect(body.task).toEqual(task);
  });

  it('skips jobs above the vram threshold', async () => {
    const worker = await register(sim, capabilities({ vramThresholdGb: 8 }));
    sim.enqueue({ jobId: 'big', model: 'flux-dev', vramGbEstimate: 12 });
    sim.enqueue({ jobId: 'fits', model: 'flux-dev', vramGbEstimate: 8 });
    const body = (await (await claim(sim, worker)).json()) as { jobId: string };
    expect(body.jobId).toBe('fits');
  });

  it('skips jobs whose model is not in supportedModels', async () => {
    const worker = await register(sim);
    sim.enqueue({ jobId: 'sdxl', model: 'sdxl' });
    expect((await claim(sim, worker)).status).toBe(204);
  });

  it('hands out nothing while autoEnabled is false', async () => {
    const worker = await register(sim);
    sim.enqueue({ model: 'flux-dev' });
    await heartbeat(sim, worker, capabilities({ autoEnabled: false }));
    expect((await claim(sim, worker)).status).toBe(204);
  });

  it('follows the latest heartbeat capabilities', async () => {
    const worker = await register(sim, capabilities({ vramThresholdGb: 4 }));
    sim.enqueue({ model: 'flux-dev', vramGbEstimate: 10 });
    expect((await claim(sim, worker)).status).toBe(204);
    await heartbeat(sim, worker, capabilities({ vramThresholdGb: 12 }));
    expect((await claim(sim, worker)).status).toBe(200);
  });

  it('hands out jobs oldest first', async () => {
    const worker = await register(sim);
    const ids = ['a', 'b', 'c'].map((jobId) => sim.enqueue({ jobId, model: 'flux-dev' }));
    const claimed: string[] = [];
    for (let i = 0; i < 3; i++) {
      claimed.push(((await (await claim(sim, worker)).json()) as { jobId: string }).jobId);
    }
    expect(claimed).toEqual(ids);
  });
});

describe('logs', () => {
  it('stores a valid batch', async () => {
    const worker = await register(sim);
    const entries = [
      { ts: '2026-05-16T00:00:00.000Z', level: 'info', category: 'claim', message: 'no jobs' },
      {
        ts: '2026-05-16T00:00:01.250Z',
        level: 'error',
        category: 'job',
        message: 'boom',
        jobId: 'j1',
      },
    ];
    const res = await post(sim, `workers/${worker.workerId}/logs`, {
      token: worker.authToken,
      json: { entries },
    });
    expect(res.status).toBe(200);
    expect(sim.logs(worker.workerId)).toEqual(
      entries.map((entry) => expect.objectContaining({ ...entry, workerId: worker.workerId })),
    );
  });

  it('answers 400 and stores nothing when a timestamp lacks milliseconds', async () => {
    const worker = await register(sim);
    const res = await post(sim, `workers/${worker.workerId}/logs`, {
      token: worker.authToken,
      json: {
        entries: [{ ts: '2026-05-16T00:00:00Z', level: 'info', category: 'x', message: 'y' }],
      },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/entries\.0\.ts/);
    expect(sim.logs()).toEqual([]);
  });

  it('answers 400 for an unknown level', async () => {
    const worker = await register(sim);
    const res = await post(sim, `workers/${worker.workerId}/logs`, {
      token: worker.authToken,
      json: {
        entries: [{ ts: '2026-05-16T00:00:00.000Z', level: 'debug', category: 'x', message: 'y' }],
      },
    });
    expect(res.status).toBe(400);
  });
});
