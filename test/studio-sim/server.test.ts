import { createServer } from 'node:net';
import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startStudioSim, type StudioSim } from '../../src/studio-sim/index.js';
import { API, capabilities, errorOf, heartbeat, post, register } from './sim-client.js';

let sim: StudioSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function listenOn(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

describe('server', () => {
  it('serves on loopback with a URL without trailing slash', async () => {
    sim = await startStudioSim();
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });

  it('answers 404 with a JSON error for an unknown route', async () => {
    sim = await startStudioSim();
    const res = await fetch(`${sim.url}${API}/workers/w-1/dance`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatch(/no route POST/);
  });

  it('answers 405 to a GET on a protocol route', async () => {
    sim = await startStudioSim();
    const res = await fetch(`${sim.url}${API}/workers/register`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers 413 to a JSON body over the limit', async () => {
    sim = await startStudioSim({ maxJsonBytes: 2048 });
    const worker = await register(sim);
    const res = await heartbeat(sim, worker, capabilities({ padding: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
  });

  it('records every request with its route and status', async () => {
    sim = await startStudioSim();
    const worker = await register(sim);
    await heartbeat(sim, worker);
    await fetch(`${sim.url}/nowhere`);
    await sim.waitFor(() => sim!.requests().every((r) => r.status !== null));
    expect(sim.requests().map((r) => [r.method, r.route, r.status])).toEqual([
      ['POST', 'register', 201],
      ['POST', 'heartbeat', 200],
      ['GET', 'unknown', 404],
    ]);
    expect(sim.requests()[1]?.path).toBe(`${API}/workers/${worker.workerId}/heartbeat`);
  });

  it('logs nothing unless given a log function, then one line per request', async () => {
    const lines: string[] = [];
    sim = await startStudioSim({ log: (line) => lines.push(line) });
    await fetch(`${sim.url}/releases`);
    await sim.waitFor(() => lines.length === 1);
    expect(lines[0]).toMatch(/^GET \/releases → 200/);
  });

  it('frees its port on close()', async () => {
    sim = await startStudioSim();
    const { port } = sim;
    await sim.close();
    sim = undefined;
    await expect(listenOn(port)).resolves.toBeUndefined();
  });

  it('ends a hung request on close()', async () => {
    sim = await startStudioSim({ faults: { routes: { releases: { hang: 1 } } } });
    const outcome = fetch(`${sim.url}/releases`).then(
      () => 'answered',
      () => 'connection closed',
    );
    await sim.waitFor(() => sim!.requests().length === 1);
    await sim.close();
    sim = undefined;
    expect(await outcome).toBe('connection closed');
  });

  it('listens on the requested port', async () => {
    const probe = await startStudioSim();
    const { port } = probe;
    await probe.close();
    sim = await startStudioSim({ port });
    expect(sim.url).toBe(`http://127.0.0.1:${port}`);
  });
});

describe('waitFor and change events', () => {
  it('resolves when a request changes the state', async () => {
    sim = await startStudioSim();
    const studio = sim;
    const waiting = studio.waitFor(() => studio.workers().length === 1);
    await register(studio);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('rejects after the timeout, quoting the predicate', async () => {
    sim = await startStudioSim();
    const studio = sim;
    await expect(studio.waitFor(() => studio.jobs().length > 5, 50)).rejects.toThrow(
      /timed out after 50 ms/,
    );
  });

  it('calls change listeners until unsubscribed', async () => {
    sim = await startStudioSim();
    let calls = 0;
    const off = sim.on('change', () => (calls += 1));
    sim.enqueue({ model: 'm' });
    off();
    sim.enqueue({ model: 'm' });
    expect(calls).toBe(1);
  });
});

describe('body checks', () => {
  it('answers 401 before looking at the body of a call without a token', async () => {
    sim = await startStudioSim();
    const worker = await register(sim);
    const res = await post(sim, `workers/${worker.workerId}/heartbeat`, { body: 'garbage' });
    expect(res.status).toBe(401);
  });
});
