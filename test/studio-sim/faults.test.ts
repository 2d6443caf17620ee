import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector, type FaultPlan } from '../../src/studio-sim/faults.js';
import { startStudioSim, type StudioSim } from '../../src/studio-sim/index.js';
import {
  capabilities,
  claim,
  claimJobId,
  completeJson,
  heartbeat,
  post,
  register,
} from './sim-client.js';

let sim: StudioSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function startWith(faults: FaultPlan): Promise<StudioSim> {
  sim = await startStudioSim({ faults });
  return sim;
}

describe('fault injection over HTTP', () => {
  it('answers an injected status with Retry-After and does not apply the call', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.setFaults({
      routes: { heartbeat: { status: [{ code: 503, probability: 1, retryAfterSecs: 7 }] } },
    });
    const res = await heartbeat(studio, worker);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(studio.heartbeats()).toEqual([]);
    expect(studio.faultsInjected()).toBe(1);
    expect(studio.requests().at(-1)).toMatchObject({
      route: 'heartbeat',
      status: 503,
      fault: 'status',
    });
  });

  it('drops the connection without answering and leaves the job queued', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.enqueue({ jobId: 'j', model: 'flux-dev' });
    studio.setFaults({ routes: { claim: { drop: 1 } } });
    await expect(claim(studio, worker)).rejects.toThrow();
    expect(studio.job('j')?.state).toBe('queued');
    await studio.waitFor(() => studio.requests().at(-1)?.status === null);
    expect(studio.requests().at(-1)).toMatchObject({ route: 'claim', fault: 'drop' });
  });

  it('delays the answer by the planned time', async () => {
    const studio = await startWith({
      routes: { releases: { delayMs: { ms: 150, probability: 1 } } },
    });
    const started = performance.now();
    const res = await fetch(`${studio.url}/releases`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(studio.faultLog()).toEqual([
      expect.objectContaining({ route: 'releases', kind: 'delay' }),
    ]);
  });

  it('answers 200 with garbage JSON for a malformed claim and leases nothing', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.enqueue({ jobId: 'j', model: 'flux-dev' });
    studio.setFaults({ routes: { claim: { malformed: 1 } } });
    const res = await claim(studio, worker);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(studio.job('j')?.state).toBe('queued');
  });

  it('cuts a register body short and registers nobody', async () => {
    const studio = await startWith({ routes: { register: { truncate: 1 } } });
    const res = await post(studio, 'workers/register', {
      token: studio.bootstrapToken,
      json: { bootstrapToken: studio.bootstrapToken, capabilities: capabilities() },
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(studio.workers()).toEqual([]);
  });

  it('does not cut or garble bodies of routes whose body the worker ignores', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.setFaults({ routes: { heartbeat: { truncate: 1, malformed: 1 } } });
    const res = await heartbeat(studio, worker);
    expect(await res.json()).toEqual({ ok: true });
    expect(studio.faultsInjected()).toBe(0);
  });

  it('hangs until the client gives up', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.setFaults({ routes: { claim: { hang: 1 } } });
    const res = post(studio, `workers/${worker.workerId}/claim`, {
      token: worker.authToken,
      signal: AbortSignal.timeout(200),
    });
    await expect(res).rejects.toThrow();
    expect(studio.requests().at(-1)).toMatchObject({ route: 'claim', fault: 'hang', status: null });
  });

  it('drops every connection during an outage and recovers after it', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.setFaults({ outage: true });
    await expect(heartbeat(studio, worker)).rejects.toThrow();
    await expect(fetch(`${studio.url}/`)).rejects.toThrow();
    studio.setFaults(undefined);
    expect((await heartbeat(studio, worker)).status).toBe(200);
    expect(studio.faultLog().map((fault) => fault.kind)).toEqual(['outage', 'outage']);
  });

  it('applies the call but loses the response on afterEffect, so a retry gets 409', async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.enqueue({ jobId: 'j', model: 'llama-3' });
    await claimJobId(studio, worker);
    studio.setFaults({ routes: { 'complete-json': { afterEffect: 1 } } });
    await expect(completeJson(studio, worker, 'j', { text: 'ok' })).rejects.toThrow();
    studio.setFaults(undefined);
    expect((await completeJson(studio, worker, 'j', { text: 'ok' })).status).toBe(409);
    expect(studio.job('j')).toMatchObject({ state: 'completed', completions: 1 });
  });

  it("lets a route's own faults override those of '*'", async () => {
    const studio = await startWith({});
    const worker = await register(studio);
    studio.setFaults({
      routes: { '*': { status: [{ code: 500, probability: 1 }] }, heartbeat: { status: [] } },
    });
    expect((await heartbeat(studio, worker)).status).toBe(200);
    expect((await claim(studio, worker)).status).toBe(500);
  });

  it('trickles a body out slowly but intact', async () => {
    const releases = [{ version: '1.2.3' }];
    sim = await startStudioSim({ releases, faults: { routes: { releases: { trickleMs: 5 } } } });
    const started = performance.now();
    const body = (await (await fetch(`${sim.url}/releases`)).json()) as { tag_name: string }[];
    expect(body[0]?.tag_name).toBe('studio-worker-v1.2.3');
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
  });

  it('replays the same faults for the same seed', async () => {
    const plan: FaultPlan = {
      seed: 42,
      routes: { heartbeat: { status: [{ code: 503, probability: 0.5 }] } },
    };
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const studio = await startStudioSim({ faults: plan });
      const worker = await register(studio);
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await heartbeat(studio, worker)).status);
      runs.push(statuses);
      await studio.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toContain(503);
    expect(runs[0]).toContain(200);
  });

  it('rejects a plan with a misspelt field, naming it', async () => {
    const studio = await startWith({});
    expect(() => studio.setFaults({ routes: { claim: { drop: 2 } } })).toThrow(
      /routes\.claim\.drop/,
    );
    expect(() =>
      studio.setFaults({ routes: { claim: { dorp: 1 } } } as unknown as FaultPlan),
    ).toThrow(/invalid fault plan/);
  });
});

describe('createFaultInjector', () => {
  const plan: FaultPlan = {
    seed: 7,
    routes: { claim: { drop: 0.3 }, heartbeat: { status: [{ code: 500, probability: 0.5 }] } },
  };

  it("decides a route's n-th request the same whatever other routes did in between", () => {
    const alone = createFaultInjector(plan, () => 0);
    const mixed = createFaultInjector(plan, () => 0);
    const claimsAlone = Array.from({ length: 20 }, () => alone.decide('claim').action.kind);
    const claimsMixed = Array.from({ length: 20 }, () => {
      mixed.decide('heartbeat');
      return mixed.decide('claim').action.kind;
    });
    expect(claimsMixed).toEqual(claimsAlone);
  });

  it('gives a different sequence for a different seed', () => {
    const kinds = (seed: number) => {
      const injector = createFaultInjector({ ...plan, seed }, () => 0);
      return Array.from({ length: 32 }, () => injector.decide('claim').action.kind);
    };
    expect(kinds(7)).toEqual(kinds(7));
    expect(kinds(8)).not.toEqual(kinds(7));
  });

  it('injects nothing into routes outside the protocol, except an outage', () => {
    const injector = createFaultInjector({ routes: { '*': { drop: 1 } } }, () => 0);
    expect(injector.decide('page').action.kind).toBe('none');
    injector.setPlan({ outage: true });
    expect(injector.decide('page').action.kind).toBe('outage');
  });
});
