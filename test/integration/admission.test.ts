// Admission end to end: a real worker against the real local studio, with a fake host probe
// whose free VRAM the test sets (no GPU here). The studio hands a job only when its estimate is
// within the worker's advertised vramThresholdGb, so the threshold has to tell the truth.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import { createWorker } from '../../src/core/runtime/worker.js';
import { createStudioClient } from '../../src/core/studio/client.js';
import { fakeHost } from '../helpers/fake-host.js';
import type { Harness } from '../helpers/harness.js';
import { configFor, eventually, startHarness, tempDir } from '../helpers/harness.js';

let h: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await h?.close();
  h = undefined;
});

const imageJob = (vramGbEstimate: number) => ({
  model: 'synthetic-image',
  vramGbEstimate,
  task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
});

/** Resolves after `n` more heartbeats reached the studio. */
async function heartbeatsLater(harness: Harness, n = 3) {
  const seen = harness.sim.heartbeats().length;
  await eventually(() => harness.sim.heartbeats().length >= seen + n, `${n} more heartbeats`);
}

describe('admission against the local studio', () => {
  it('advertises free VRAM less the margin, so a job too large for it goes to no one', async () => {
    const host = fakeHost({ totalGb: 24, freeGb: 6 });
    h = await startHarness({ host });
    const sim = h.sim;
    const big = sim.enqueue(imageJob(8));
    const small = sim.enqueue(imageJob(4));
    await eventually(() => sim.job(small)?.state === 'completed', 'the small job completed');
    await heartbeatsLater(h);

    expect(sim.heartbeats().at(-1)?.capabilities.vramThresholdGb).toBe(5);
    expect(h.worker.observers.snapshot().vramThresholdGb).toBe(5);
    expect(sim.job(big)).toMatchObject({ state: 'queued', attempts: 0 });

    // The GPU frees up: the threshold follows, and the big job is taken.
    host.freeGb = 20;
    await eventually(() => sim.job(big)?.state === 'completed', 'the big job completed');
    expect(sim.heartbeats().at(-1)?.capabilities.vramThresholdGb).toBe(12);
  });

  it('stops claiming with a visible reason while the GPU is busy, and resumes when it frees', async () => {
    const host = fakeHost({ totalGb: 24, freeGb: 2.5 });
    h = await startHarness({ host });
    const sim = h.sim;
    const job = sim.enqueue(imageJob(1));
    await heartbeatsLater(h);

    const reason = 'GPU busy: 2.5 GB free, claiming resumes at 3 GB';
    expect(h.worker.observers.snapshot().pausedReason).toBe(reason);
    expect(sim.heartbeats().at(-1)?.capabilities.autoEnabled).toBe(false);
    expect(sim.requests().filter((r) => r.route === 'claim')).toHaveLength(0);
    expect(sim.job(job)?.state).toBe('queued');
    expect(h.logs.map((l) => l.message)).toContain(`paused: ${reason}`);

    host.freeGb = 10;
    await eventually(() => sim.job(job)?.state === 'completed', 'the job completed');
    expect(h.worker.observers.snapshot().pausedReason).toBeNull();
    expect(h.logs.map((l) => l.message)).toContain('admission: claiming allowed again');
  });

  it('fails a claimed job that no longer fits as retryable, never runs it, and another worker takes it', async () => {
    const host = fakeHost({ totalGb: 24, freeGb: 20 });
    h = await startHarness({ host });
    const sim = h.sim;
    let jobId = '';
    // The GPU fills up (a game starts) just as the studio hands the job out.
    const off = sim.on('change', () => {
      if (jobId && sim.job(jobId)?.state === 'leased') host.freeGb = 5;
    });
    cleanups.push(async () => off());
    jobId = sim.enqueue(imageJob(8));

    await eventually(
      () => sim.job(jobId)?.history.some((e) => e.kind === 'fail-reported') ?? false,
      'the worker reported the job failed',
    );
    off();
    expect(sim.job(jobId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: { retryable: true },
    });
    expect(sim.job(jobId)?.error?.error).toContain('it needs 8 GB of VRAM but only 5 GB is free');
    expect(sim.job(jobId)?.result).toBeUndefined();
    expect(h.worker.observers.snapshot().recentJobs).toEqual([]);
    expect(h.logs.some((l) => l.message.startsWith('started'))).toBe(false);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        category: 'admission',
        jobId,
        message:
          'not running this job: it needs 8 GB of VRAM but only 5 GB is free (1 GB kept as margin)',
      }),
    );

    // The studio now knows this worker takes at most 4 GB: it does not hand the job back.
    await heartbeatsLater(h);
    expect(sim.heartbeats().at(-1)?.capabilities.vramThresholdGb).toBe(4);
    expect(sim.job(jobId)).toMatchObject({ state: 'queued', attempts: 1 });

    // A worker with room takes it.
    const dir = await tempDir();
    const store = await configFor(sim, dir);
    const other = createWorker({
      configStore: store,
      studioFor: (baseUrl, secrets) => createStudioClient({ baseUrl, secrets, timeoutMs: 2_000 }),
      engine: createSyntheticEngine(),
      host: fakeHost({ totalGb: 24, freeGb: 20 }),
      agentVersion: '0.0.0-other',
      spoolDir: path.join(dir, 'spool'),
    });
    cleanups.push(async () => {
      await other.stop({ graceMs: 2_000 });
      await rm(dir, { recursive: true, force: true });
    });
    const creds = await other.register();
    await other.start();
    await eventually(() => sim.job(jobId)?.state === 'completed', 'the other worker completed it');
    expect(sim.job(jobId)).toMatchObject({ workerId: creds.workerId, attempts: 2 });
  });

  it('lowers the threshold to the detected VRAM on first launch, in the config file, and says so', async () => {
    const host = fakeHost({ totalGb: 8, freeGb: 7.5 });
    h = await startHarness({ host, register: false, start: false });
    expect(h.store.current().vram_threshold_gb).toBe(12);

    await h.worker.register();

    expect(h.store.current().vram_threshold_gb).toBe(8);
    expect(await readFile(h.store.path, 'utf8')).toMatch(/^vram_threshold_gb = 8$/m);
    expect(h.logs.map((l) => l.message)).toContain(
      'first launch: vram_threshold_gb lowered from 12 to 8 GB, the VRAM detected on this machine (GPU: Fake GPU (8 GB VRAM) via fake)',
    );
    expect(h.worker.observers.snapshot().settings.vramThresholdGb).toBe(8);
    // What the studio heard at registration: 7.5 GB free less the 1 GB margin.
    expect(h.sim.workers()[0]?.capabilities.vramThresholdGb).toBe(6.5);
  });

  it('keeps the threshold the user set once the worker has registered', async () => {
    const host = fakeHost({ totalGb: 8, freeGb: 7.5 });
    h = await startHarness({ host, register: true, start: false });
    const firstLaunch = () => h?.logs.filter((l) => l.message.startsWith('first launch')) ?? [];
    expect(firstLaunch()).toHaveLength(1); // the harness's registration was the first launch
    await h.store.update((c) => ({ ...c, vram_threshold_gb: 16 }));
    await h.worker.register();
    expect(h.store.current().vram_threshold_gb).toBe(16);
    expect(firstLaunch()).toHaveLength(1);
  });
});
