// Each tick driven once by hand (no loops, no timers) against the real local studio.
import { afterEach, describe, expect, it } from 'vitest';
import { autoUpdateTick } from '../../../src/core/runtime/auto-update.js';
import { claimTick } from '../../../src/core/runtime/claim.js';
import { heartbeatTick } from '../../../src/core/runtime/heartbeat.js';
import { logShipperTick } from '../../../src/core/runtime/log-shipper.js';
import { createSyntheticEngine } from '../../../src/core/engine/synthetic/index.js';
import { createGithubUpdateSource } from '../../../src/core/update/github-source.js';
import type { UpdateSource } from '../../../src/core/update/source.js';
import type { Harness } from '../../helpers/harness.js';
import { startHarness } from '../../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A registered worker whose loops are not running: the test drives the ticks. */
async function idleWorker(opts: Parameters<typeof startHarness>[0] = {}) {
  h = await startHarness({ ...opts, start: false });
  await h.worker.context.spool.init();
  return { h, ctx: h.worker.context };
}

const imageJob = {
  model: 'synthetic-image',
  task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
};

describe('heartbeatTick', () => {
  it('sends nothing and reports skipped while unregistered', async () => {
    h = await startHarness({ register: false, start: false });
    expect(await heartbeatTick(h.worker.context)).toEqual({
      kind: 'skipped',
      reason: 'unregistered',
    });
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('sends the capabilities and records an ok heartbeat', async () => {
    const { h, ctx } = await idleWorker();
    expect(await heartbeatTick(ctx)).toEqual({ kind: 'ok' });
    const beat = h.sim.heartbeats().at(-1);
    expect(beat?.capabilities).toMatchObject({
      agentVersion: '0.0.0-test',
      vramTotalGb: 24,
      autoEnabled: true,
      engine: 'synthetic',
    });
    expect(beat?.currentJobId).toBeUndefined();
    const snap = ctx.observers.snapshot();
    expect(snap.lastHeartbeat?.outcome).toEqual({ kind: 'ok' });
    expect(snap.connection).toEqual({ kind: 'online' });
  });

  it('sends currentJobId while a job runs', async () => {
    const { h, ctx } = await idleWorker();
    ctx.observers.jobStarted({
      id: 'job-42',
      kind: 'image',
      model: 'm',
      promptPreview: '',
      startedAt: new Date().toISOString(),
    });
    await heartbeatTick(ctx);
    expect(h.sim.heartbeats().at(-1)?.currentJobId).toBe('job-42');
  });

  it('reports autoEnabled false while draining', async () => {
    const { h, ctx } = await idleWorker();
    ctx.flags.draining = true;
    await heartbeatTick(ctx);
    expect(h.sim.heartbeats().at(-1)?.capabilities.autoEnabled).toBe(false);
  });

  it('returns a transient error on 503, shows offline and logs it once', async () => {
    const { h, ctx } = await idleWorker();
    h.sim.setFaults({ routes: { heartbeat: { status: [{ code: 503, probability: 1 }] } } });
    const first = await heartbeatTick(ctx);
    await heartbeatTick(ctx);
    expect(first).toMatchObject({ kind: 'error', transient: true, credentialsRejected: false });
    expect(ctx.observers.snapshot().connection.kind).toBe('offline');
    expect(h.logs.filter((l) => l.message.startsWith('studio unreachable'))).toHaveLength(1);
  });

  it('turns a 401 into the credentials-rejected state', async () => {
    const { h, ctx } = await idleWorker();
    h.sim.revokeWorker(h.store.current().worker_id!);
    expect(await heartbeatTick(ctx)).toMatchObject({ kind: 'error', credentialsRejected: true });
    expect(ctx.observers.snapshot().registration.kind).toBe('credentials-rejected');
  });
});

describe('claimTick', () => {
  it('is skipped without a request when claiming is disabled', async () => {
    const { h, ctx } = await idleWorker({ config: { auto_enabled: false } });
    h.sim.enqueue(imageJob);
    expect(await claimTick(ctx)).toEqual({ kind: 'skipped', reason: 'disabled' });
    expect(h.sim.requests().filter((r) => r.route === 'claim')).toHaveLength(0);
  });

  it('is skipped without a request while draining, stopping or paused', async () => {
    const { h, ctx } = await idleWorker();
    ctx.flags.draining = true;
    expect(await claimTick(ctx)).toEqual({ kind: 'skipped', reason: 'draining' });
    ctx.flags.draining = false;
    ctx.flags.stopping = true;
    expect(await claimTick(ctx)).toEqual({ kind: 'skipped', reason: 'stopping' });
    ctx.flags.stopping = false;
    ctx.hold('presence', 'on battery');
    expect(await claimTick(ctx)).toEqual({ kind: 'skipped', reason: 'paused' });
    expect(h.sim.requests().filter((r) => r.route === 'claim')).toHaveLength(0);
  });

  it('is skipped without a request while unregistered', async () => {
    h = await startHarness({ register: false, start: false });
    expect(await claimTick(h.worker.context)).toEqual({ kind: 'skipped', reason: 'unregistered' });
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('returns no-jobs on 204', async () => {
    const { ctx } = await idleWorker();
    expect(await claimTick(ctx)).toEqual({ kind: 'no-jobs' });
  });

  it('runs a claimed job, uploads it and records it as completed', async () => {
    const { h, ctx } = await idleWorker();
    const id = h.sim.enqueue({ ...imageJob, task: { ...imageJob.task, prompt: 'x'.repeat(300) } });
    expect(await claimTick(ctx)).toEqual({
      kind: 'ran-job',
      jobId: id,
      outcome: { kind: 'completed' },
    });
    expect(h.sim.job(id)?.state).toBe('completed');
    const recent = ctx.observers.snapshot().recentJobs[0];
    expect(recent).toMatchObject({
      id,
      kind: 'image',
      model: 'synthetic-image',
      outcome: { kind: 'completed' },
    });
    expect(Array.from(recent!.promptPreview)).toHaveLength(201);
    expect(ctx.observers.snapshot().currentJob).toBeNull();
    expect(h.logs.map((l) => l.message)).toEqual(
      expect.arrayContaining(['started image job (model synthetic-image)', 'result uploaded']),
    );
  });

  it('reports an engine failure as retryable and the studio requeues the job', async () => {
    const failing = createSyntheticEngine();
    const engine = { ...failing, run: async () => Promise.reject(new Error('CUDA out of memory')) };
    const { h, ctx } = await idleWorker({ engine });
    const id = h.sim.enqueue(imageJob);
    const outcome = await claimTick(ctx);
    expect(outcome).toEqual({
      kind: 'ran-job',
      jobId: id,
      outcome: { kind: 'failed', error: 'CUDA out of memory', retryable: true },
    });
    expect(h.sim.job(id)?.state).toBe('queued');
    expect(h.sim.job(id)?.history.map((e) => e.kind)).toContain('requeued');
  });

  it('reports a kind the engine cannot serve as not retryable', async () => {
    const engine = createSyntheticEngine({ models: { image: ['synthetic-image'] } });
    const { h, ctx } = await idleWorker({ engine });
    const id = h.sim.enqueue({ model: 'synthetic-image', task: { kind: 'llm', messages: [] } });
    const outcome = await claimTick(ctx);
    expect(outcome).toMatchObject({
      kind: 'ran-job',
      outcome: { kind: 'failed', retryable: false },
    });
    expect(h.sim.job(id)).toMatchObject({
      state: 'failed',
      error: { retryable: false, error: 'synthetic engine cannot serve llm tasks' },
    });
  });

  it('advertises and runs model `synthetic`, as the original studio queues it', async () => {
    const { h, ctx } = await idleWorker();
    await heartbeatTick(ctx);
    expect(h.sim.heartbeats().at(-1)?.capabilities.supportedModelsPerKind.video).toEqual([
      'synthetic',
      'synthetic-video',
    ]);
    const id = h.sim.enqueue({ ...imageJob, model: 'synthetic' });
    expect(await claimTick(ctx)).toMatchObject({ kind: 'ran-job', jobId: id });
    expect(h.sim.job(id)?.state).toBe('completed');
  });

  it("hands back a job beyond this worker's limits as retryable, naming the config key", async () => {
    const { h, ctx } = await idleWorker();
    const prompt = 'x'.repeat(20_001);
    const id = h.sim.enqueue({ model: 'synthetic-image', task: { kind: 'image', prompt } });
    const outcome = await claimTick(ctx);
    expect(outcome).toMatchObject({ kind: 'refused-job', jobId: id });
    const job = h.sim.job(id);
    expect(job?.state).toBe('queued');
    const failed = job?.history.find((e) => e.detail?.includes('max_prompt_chars'));
    expect(failed?.detail).toContain("over this worker's limit of 20000");
  });

  it('runs that job once max_prompt_chars is raised in the config', async () => {
    const { h, ctx } = await idleWorker({ config: { max_prompt_chars: 30_000 } });
    const prompt = 'x'.repeat(20_001);
    const id = h.sim.enqueue({
      model: 'synthetic-image',
      task: { kind: 'image', prompt, width: 8, height: 8, ext: 'png' },
    });
    expect(await claimTick(ctx)).toMatchObject({ kind: 'ran-job', jobId: id });
    expect(h.sim.job(id)?.state).toBe('completed');
  });

  it('runs an llm job with temperature above 2, which follows the protocol', async () => {
    const { h, ctx } = await idleWorker();
    const messages = [{ role: 'user', content: 'hi' }];
    const id = h.sim.enqueue({
      model: 'synthetic',
      task: { kind: 'llm', messages, temperature: 2.5, max_tokens: 8 },
    });
    expect(await claimTick(ctx)).toMatchObject({ kind: 'ran-job', jobId: id });
    expect(h.sim.job(id)?.state).toBe('completed');
  });

  it('fails a job that runs past job_timeout_secs', async () => {
    const { h, ctx } = await idleWorker({ engine: createSyntheticEngine({ delayMs: 5_000 }) });
    // The file's floor is 10 s; the tick trusts the config it is handed, so hand it 0.2 s.
    const config = ctx.config();
    const id = h.sim.enqueue(imageJob);
    const outcome = await claimTick({
      ...ctx,
      config: () => ({ ...config, job_timeout_secs: 0.2 }),
    });
    expect(outcome).toMatchObject({
      kind: 'ran-job',
      jobId: id,
      outcome: { kind: 'failed', retryable: true },
    });
    expect(h.sim.job(id)?.history.some((e) => e.detail?.includes('timed out'))).toBe(true);
  });

  it('returns an error with the status on 5xx and claims nothing', async () => {
    const { h, ctx } = await idleWorker();
    h.sim.setFaults({ routes: { claim: { status: [{ code: 502, probability: 1 }] } } });
    const outcome = await claimTick(ctx);
    expect(outcome.kind).toBe('error');
    if (outcome.kind === 'error') expect(outcome.error.status).toBe(502);
  });

  it('returns an error for a malformed 200 body', async () => {
    const { h, ctx } = await idleWorker();
    h.sim.enqueue(imageJob);
    h.sim.setFaults({ routes: { claim: { malformed: 1 } } });
    const outcome = await claimTick(ctx);
    expect(outcome).toMatchObject({ kind: 'error', error: { kind: 'malformed' } });
  });
});

describe('logShipperTick', () => {
  it('ships queued entries and says how many', async () => {
    const { h, ctx } = await idleWorker();
    const queued = ctx.logQueue.size;
    ctx.log.info('test', 'hello studio');
    const outcome = await logShipperTick(ctx);
    expect(outcome).toEqual({ kind: 'shipped', count: queued + 1 });
    expect(h.sim.logs().some((l) => l.message === 'hello studio' && l.category === 'test')).toBe(
      true,
    );
  });

  it('puts a failed batch back and ships it on the next tick', async () => {
    const { h, ctx } = await idleWorker();
    ctx.log.info('test', 'survivor');
    h.sim.setFaults({ routes: { logs: { status: [{ code: 500, probability: 1 }] } } });
    const failed = await logShipperTick(ctx);
    expect(failed).toMatchObject({ kind: 'error', shipped: 0 });
    expect(ctx.logQueue.size).toBeGreaterThan(0);
    h.sim.setFaults(undefined);
    expect((await logShipperTick(ctx)).kind).toBe('shipped');
    expect(h.sim.logs().filter((l) => l.message === 'survivor')).toHaveLength(1);
  });

  it('keeps batches within the cap', async () => {
    const { h, ctx } = await idleWorker();
    for (let i = 0; i < 25; i += 1) ctx.log.info('test', `line ${i}`);
    await logShipperTick(ctx, 10, 100);
    const posts = h.sim.requests().filter((r) => r.route === 'logs');
    expect(posts.length).toBeGreaterThanOrEqual(3);
  });

  it('ships nothing while unregistered', async () => {
    h = await startHarness({ register: false, start: false });
    h.worker.log.info('test', 'waiting');
    expect(await logShipperTick(h.worker.context)).toEqual({
      kind: 'skipped',
      reason: 'unregistered',
    });
  });
});

describe('autoUpdateTick', () => {
  async function updater(releases: { version: string }[], config = {}) {
    const { h, ctx } = await idleWorker({ sim: { releases }, config });
    const source = createGithubUpdateSource({
      feedUrl: `${h.sim.url}/releases`,
      currentVersion: '1.0.0',
      includePrerelease: false,
    });
    return { h, ctx, source };
  }

  it('is disabled when auto_update_enabled is false', async () => {
    const { ctx, source } = await updater([], { auto_update_enabled: false });
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: null })).toEqual({
      kind: 'disabled',
    });
  });

  it('does not check again before the interval has passed', async () => {
    const { ctx, source } = await updater([{ version: '2.0.0' }]);
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: Date.now() - 1_000 })).toEqual({
      kind: 'not-due',
    });
  });

  it('skips while a job runs', async () => {
    const { ctx, source } = await updater([{ version: '2.0.0' }]);
    ctx.observers.jobStarted({
      id: 'j1',
      kind: 'llm',
      model: 'm',
      promptPreview: '',
      startedAt: new Date().toISOString(),
    });
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: null })).toEqual({
      kind: 'skipped-busy',
      jobId: 'j1',
    });
  });

  it('says up to date when the feed has nothing newer', async () => {
    const { ctx, source } = await updater([{ version: '1.0.0' }]);
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: null })).toEqual({
      kind: 'up-to-date',
      currentVersion: '1.0.0',
    });
    expect(ctx.observers.snapshot().update.kind).toBe('up-to-date');
  });

  it('reports a newer release on a headless worker and logs it', async () => {
    const { h, ctx, source } = await updater([{ version: '1.2.0' }]);
    const decision = await autoUpdateTick({ ...ctx, source, lastCheckAt: null });
    expect(decision).toMatchObject({ kind: 'available', version: '1.2.0' });
    expect(ctx.observers.snapshot().update).toMatchObject({ kind: 'available', version: '1.2.0' });
    expect(h.logs.some((l) => l.category === 'update' && l.message.includes('1.2.0'))).toBe(true);
  });

  it('returns check-error when the feed cannot be read', async () => {
    const { h, ctx } = await updater([]);
    const source = createGithubUpdateSource({
      feedUrl: `${h.sim.url}/no-such-feed`,
      currentVersion: '1.0.0',
      includePrerelease: false,
    });
    const decision = await autoUpdateTick({ ...ctx, source, lastCheckAt: null });
    expect(decision.kind).toBe('check-error');
    expect(ctx.observers.snapshot().update.kind).toBe('error');
  });

  /** An installer host (like electron-updater) that downloads, or fails to. */
  const installing = (apply: UpdateSource['apply']): UpdateSource => ({
    check: async () => ({ kind: 'available', version: '3.0.0' }),
    apply,
  });

  it('returns updated once a host that installs has the release ready', async () => {
    const { ctx } = await updater([]);
    const source = installing(async (a) => ({ kind: 'ready', version: a.version }));
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: null })).toEqual({
      kind: 'updated',
      version: '3.0.0',
    });
    expect(ctx.observers.snapshot().update).toEqual({ kind: 'ready', version: '3.0.0' });
  });

  it('returns update-error when the download or verification fails', async () => {
    const { ctx } = await updater([]);
    const source = installing(async () => Promise.reject(new Error('sha512 checksum mismatch')));
    expect(await autoUpdateTick({ ...ctx, source, lastCheckAt: null })).toEqual({
      kind: 'update-error',
      version: '3.0.0',
      error: 'sha512 checksum mismatch',
    });
  });
});
