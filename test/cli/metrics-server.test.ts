// /healthz, /readyz and /metrics of a real worker against the real local studio, over loopback.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsServer } from '../../src/cli/metrics/server.js';
import { startMetricsServer } from '../../src/cli/metrics/server.js';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness } from '../helpers/harness.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';

let h: Harness | undefined;
let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.close();
  server = undefined;
  h = undefined;
});

const get = async (path: string) => {
  if (!server) throw new Error('no server');
  const res = await fetch(`${server.origin}${path}`);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
};

describe('health and metrics endpoints', () => {
  it('readiness follows registration and pausing, and says why it is not ready', async () => {
    h = await startHarness({ register: false, start: false });
    server = await startMetricsServer({ worker: h.worker, listen: { host: '127.0.0.1', port: 0 } });
    const before = await get('/readyz');
    expect(before.status).toBe(503);
    expect(before.text).toContain('not registered');

    await h.worker.register();
    await h.worker.start();
    expect(await get('/readyz')).toMatchObject({ status: 200, text: 'ready\n' });

    h.worker.hold('snooze', 'snoozed until 18:00');
    const paused = await get('/readyz');
    expect(paused.status).toBe(503);
    expect(paused.text).toContain('paused: snoozed until 18:00');
    const metrics = parsePrometheusText((await get('/metrics')).text).samples;
    expect(sampleValue(metrics, 'studio_worker_paused', { reason: 'snooze' })).toBe(1);

    h.worker.hold('snooze', null);
    expect((await get('/readyz')).status).toBe(200);
    const after = parsePrometheusText((await get('/metrics')).text).samples;
    expect(sampleValue(after, 'studio_worker_paused', { reason: 'snooze' })).toBe(0);
  });

  it('counts a completed job by kind and outcome and observes its duration', async () => {
    h = await startHarness();
    server = await startMetricsServer({ worker: h.worker, listen: { host: '127.0.0.1', port: 0 } });
    const first = parsePrometheusText((await get('/metrics')).text).samples;
    expect(
      sampleValue(first, 'studio_worker_jobs_total', { kind: 'image', outcome: 'completed' }),
    ).toBeUndefined();

    const prompt = 'a very private prompt about a red fox';
    const id = h.sim.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: { kind: 'image', prompt, width: 16, height: 16 },
    });
    const sim = h.sim;
    await eventually(() => sim.job(id)?.state === 'completed', 'the job to complete');
    const worker = h.worker;
    await eventually(
      () => worker.observers.snapshot().recentJobs.some((j) => j.id === id),
      'the worker to record the job',
    );

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePrometheusText(res.text);
    expect(types.get('studio_worker_jobs_total')).toBe('counter');
    expect(types.get('studio_worker_job_duration_seconds')).toBe('histogram');
    expect(
      sampleValue(samples, 'studio_worker_jobs_total', { kind: 'image', outcome: 'completed' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'studio_worker_job_duration_seconds_count', { kind: 'image' }),
    ).toBe(1);
    expect(sampleValue(samples, 'studio_worker_claims_total', { result: 'ran-job' })).toBe(1);
    expect(
      sampleValue(samples, 'studio_worker_heartbeats_total', { result: 'ok' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(samples, 'studio_worker_registered')).toBe(1);
    expect(sampleValue(samples, 'studio_worker_spool_entries')).toBe(0);
    expect(
      sampleValue(samples, 'studio_worker_info', { version: '0.0.0-test', engine: 'synthetic' }),
    ).toBe(1);
    for (const name of [
      'studio_worker_log_lines_shipped_total',
      'studio_worker_log_lines_dropped_total',
      'studio_worker_spool_bytes',
    ]) {
      expect(types.has(name), name).toBe(true);
    }
    // No prompt text and no secret in what any scraper can read.
    const config = h.store.current();
    expect(res.text).not.toContain('red fox');
    expect(res.text).not.toContain(config.auth_token ?? 'no token?');
    expect(res.text).not.toContain(config.bootstrap_token);
  });

  it('answers /healthz 200 while the loops tick and 503 naming the loop once one is wedged', async () => {
    h = await startHarness();
    server = await startMetricsServer({ worker: h.worker, listen: { host: '127.0.0.1', port: 0 } });
    expect(await get('/healthz')).toMatchObject({ status: 200, text: 'alive\n' });
    await server.close();
    // The same worker seen an hour later: every loop's wait is long overdue (its timer never
    // fired, as when the event loop is stuck).
    const worker = h.worker;
    server = await startMetricsServer({
      worker,
      listen: { host: '127.0.0.1', port: 0 },
      clock: { now: () => Date.now() + 3_600_000 },
    });
    const wedged = await get('/healthz');
    expect(wedged.status).toBe(503);
    expect(wedged.text).toMatch(/heartbeat loop wedged: its wait has not ended/);
  });

  it('listens on loopback when given 127.0.0.1 and refuses other methods, paths and foreign Host headers', async () => {
    h = await startHarness({ register: false, start: false });
    server = await startMetricsServer({ worker: h.worker, listen: { host: '127.0.0.1', port: 0 } });
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get('/nope')).status).toBe(404);
    const post = await fetch(`${server.origin}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    // A browser page that rebound its own name to 127.0.0.1 is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${server!.origin}/metrics`, { headers: { host: 'evil.example:9464' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
  });
});
