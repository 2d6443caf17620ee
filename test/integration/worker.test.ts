// The real worker against the real local studio over loopback: every kind, the switches, the
// studio's claim rule, logs, backoff and the spool across a restart.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/core/config/store.js';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, passTime, startHarness } from '../helpers/harness.js';
import { manualClock } from '../helpers/manual-clock.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const model = (kind: keyof typeof SYNTHETIC_MODELS) => SYNTHETIC_MODELS[kind]![0]!;

describe('worker against the local studio', () => {
  it('runs a job of every kind and the studio receives a real result for each', async () => {
    h = await startHarness();
    const ids = {
      image: h.sim.enqueue({
        model: model('image'),
        task: { kind: 'image', prompt: 'a fox', width: 64, height: 48, ext: 'png' },
      }),
      legacy: h.sim.enqueue({ model: model('image'), prompt: 'legacy prompt', ext: 'webp' }),
      llm: h.sim.enqueue({
        model: model('llm'),
        task: { kind: 'llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 },
      }),
      stt: h.sim.enqueue({
        model: model('audio_stt'),
        task: { kind: 'audio_stt', input_url: 'https://example.com/a.wav' },
      }),
      tts: h.sim.enqueue({
        model: model('audio_tts'),
        task: { kind: 'audio_tts', text: 'hello there' },
      }),
      video: h.sim.enqueue({
        model: model('video'),
        task: { kind: 'video', prompt: 'waves', seconds: 0.5, width: 64, height: 64 },
      }),
    };
    const sim = h.sim;
    await eventually(
      () => Object.values(ids).every((id) => sim.job(id)?.state === 'completed'),
      'all jobs completed',
      20_000,
    );

    const file = (id: string) => {
      const result = sim.job(id)?.result;
      if (result?.kind !== 'file') throw new Error(`job ${id} has no file result`);
      return result;
    };
    const image = file(ids.image);
    expect(image).toMatchObject({
      ext: 'png',
      contentType: 'image/png',
      filename: `${ids.image}.png`,
      prompt: 'a fox',
    });
    expect(await sharp(image.path).metadata()).toMatchObject({
      format: 'png',
      width: 64,
      height: 48,
    });
    expect(await sharp(file(ids.legacy).path).metadata()).toMatchObject({
      format: 'webp',
      width: 512,
      height: 512,
    });
    expect(file(ids.legacy).prompt).toBe('legacy prompt');

    const llm = sim.job(ids.llm)?.result;
    expect(llm).toMatchObject({ kind: 'json', prompt: 'hi', value: { object: 'chat.completion' } });
    expect(sim.job(ids.stt)?.result).toMatchObject({ kind: 'json', value: { language: 'en' } });

    const wav = await readFile(file(ids.tts).path);
    expect(file(ids.tts)).toMatchObject({ ext: 'wav', contentType: 'audio/wav' });
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');

    const video = file(ids.video);
    expect(video.ext).toBe('webp');
    expect((await sharp(video.path, { animated: true }).metadata()).pages).toBeGreaterThan(1);

    // The studio records the upload a moment before the worker hears its answer.
    const worker = h.worker;
    await eventually(
      () => worker.observers.snapshot().counters.completed === 6,
      'six completed jobs in the counters',
    );
    expect(sim.jobs().every((j) => j.completions === 1)).toBe(true);
  });

  it('ships its log lines to the studio, tagged with the job id', async () => {
    h = await startHarness();
    const id = h.sim.enqueue({
      model: model('llm'),
      task: { kind: 'llm', messages: [{ role: 'user', content: 'x' }] },
    });
    const sim = h.sim;
    await eventually(
      () => sim.logs().some((l) => l.jobId === id && l.message === 'result uploaded'),
      'the upload log line at the studio',
    );
    const line = sim.logs().find((l) => l.jobId === id)!;
    expect(line.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('stops claiming when another process disables it in the config file, and resumes when enabled', async () => {
    const clock = manualClock();
    h = await startHarness({ clock });
    const other = await openConfigStore(h.store.path); // like `studio-worker disable` in another terminal
    await other.update((c) => ({ ...c, auto_enabled: false }));
    const worker = h.worker;
    await eventually(
      () => !worker.observers.snapshot().enabled,
      'the worker to see the change',
      5_000,
    );
    const claimsBefore = h.sim.requests().filter((r) => r.route === 'claim').length;
    const id = h.sim.enqueue({
      model: model('image'),
      task: { kind: 'image', prompt: 'p', width: 8, height: 8 },
    });
    // Ten claim intervals and more than one heartbeat pass: no claim, the job stays queued.
    await passTime(worker, clock, 500, 50);
    expect(h.sim.job(id)?.state).toBe('queued');
    expect(h.sim.requests().filter((r) => r.route === 'claim').length).toBe(claimsBefore);
    const sim = h.sim;
    expect(sim.heartbeats().at(-1)?.capabilities.autoEnabled).toBe(false);

    await other.update((c) => ({ ...c, auto_enabled: true }));
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return sim.job(id)?.state === 'completed';
    }, 'the job after enabling');
  });

  it('is handed only jobs within its VRAM threshold, and bigger ones after the threshold is raised', async () => {
    const clock = manualClock();
    h = await startHarness({ config: { vram_threshold_gb: 12 }, clock });
    const big = h.sim.enqueue({
      model: model('image'),
      vramGbEstimate: 20,
      task: { kind: 'image', prompt: 'big', width: 8, height: 8 },
    });
    const small = h.sim.enqueue({
      model: model('image'),
      vramGbEstimate: 12,
      task: { kind: 'image', prompt: 'small', width: 8, height: 8 },
    });
    const sim = h.sim;
    const worker = h.worker;
    await eventually(() => sim.job(small)?.state === 'completed', 'the small job');
    // Six more claims: the studio hands none of them the big job.
    await passTime(worker, clock, 300, 50);
    expect(sim.job(big)?.state).toBe('queued');

    await h.store.update((c) => ({ ...c, vram_threshold_gb: 24 }));
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return sim.job(big)?.state === 'completed';
    }, 'the big job after raising the threshold');
  });

  it('waits the idle interval between claims while the studio has no job', async () => {
    const clock = manualClock();
    h = await startHarness({
      config: {
        schedule: { ...(await defaults()).schedule, claim_idle_secs: 0.1, heartbeat_secs: 10 },
      },
      clock,
    });
    await passTime(h.worker, clock, 0, 100);
    const first = h.sim.requests().filter((r) => r.route === 'claim').length;
    await passTime(h.worker, clock, 1_000, 50);
    const claims = h.sim.requests().filter((r) => r.route === 'claim').length - first;
    expect(
      h.sim
        .requests()
        .filter((r) => r.route === 'claim')
        .every((r) => r.status === 204),
    ).toBe(true);
    // 1 s at one claim per 100 ms: ten, never a tight loop.
    expect(claims).toBe(10);
  });

  it('backs off while the studio answers 503, shows offline, and recovers when it is back', async () => {
    const clock = manualClock();
    h = await startHarness({
      config: {
        schedule: { ...(await defaults()).schedule, claim_idle_secs: 0.05, backoff_max_secs: 0.4 },
      },
      clock,
      // The jitter draws the middle of its range: each backoff is half its ceiling.
      random: () => 0.5,
    });
    h.sim.setFaults({ routes: { '*': { status: [{ code: 503, probability: 1 }] } } });
    await passTime(h.worker, clock, 0, 50);
    const start = h.sim.requests().length;
    await passTime(h.worker, clock, 1_500, 50);
    const claims = h.sim
      .requests()
      .slice(start)
      .filter((r) => r.route === 'claim');
    expect(claims.every((r) => r.status === 503)).toBe(true);
    // Without backoff a 50 ms idle interval would mean ~30 claims in 1.5 s.
    expect(claims.length).toBeLessThan(15);
    expect(h.worker.observers.snapshot().connection.kind).toBe('offline');

    h.sim.setFaults(undefined);
    const id = h.sim.enqueue({ model: model('llm'), task: { kind: 'llm', messages: [] } });
    const sim = h.sim;
    const worker = h.worker;
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return sim.job(id)?.state === 'completed';
    }, 'the job once the studio is back');
    expect(h.worker.observers.snapshot().connection.kind).toBe('online');
  });

  it('keeps a result it could not upload in the spool and uploads it first after a restart', async () => {
    h = await startHarness();
    h.sim.setFaults({ routes: { complete: { status: [{ code: 503, probability: 1 }] } } });
    const id = h.sim.enqueue({
      model: model('image'),
      task: { kind: 'image', prompt: 'keep me', width: 16, height: 16, ext: 'png' },
    });
    let worker = h.worker;
    await eventually(
      () => worker.observers.snapshot().recentJobs[0]?.outcome.kind === 'spooled',
      'the result to be spooled',
      10_000,
    );
    await eventually(() => worker.observers.snapshot().spool.count === 1, 'the spool count');
    await h.worker.stop({ graceMs: 1_000 });

    h.sim.setFaults(undefined);
    const next = h.sim.enqueue({ model: model('llm'), task: { kind: 'llm', messages: [] } });
    const mark = h.sim.requests().length;
    worker = await h.restart();
    const sim = h.sim;
    await eventually(
      () => sim.job(id)?.state === 'completed' && sim.job(next)?.state === 'completed',
      'both jobs',
      10_000,
    );
    const after = sim.requests().slice(mark);
    const firstComplete = after.findIndex((r) => r.route === 'complete' && r.status === 200);
    const firstClaim = after.findIndex((r) => r.route === 'claim');
    expect(firstComplete).toBeGreaterThanOrEqual(0);
    expect(firstComplete).toBeLessThan(firstClaim);
    expect(sim.job(id)?.completions).toBe(1);
    await eventually(() => worker.observers.snapshot().spool.count === 0, 'an empty spool');
  });

  it('reports a claimed job it cannot read with fail, not retryable, and carries on', async () => {
    h = await startHarness();
    const bad = h.sim.enqueue({ model: model('image'), task: { kind: 'image', width: 'wide' } });
    const good = h.sim.enqueue({ model: model('llm'), task: { kind: 'llm', messages: [] } });
    const sim = h.sim;
    await eventually(
      () => sim.job(bad)?.state === 'failed' && sim.job(good)?.state === 'completed',
      'both jobs to end',
    );
    expect(sim.job(bad)?.error).toMatchObject({
      retryable: false,
      error: expect.stringContaining('malformed job'),
    });
  });

  it('shows "credentials rejected" and stops claiming when the studio revokes its token', async () => {
    const clock = manualClock();
    h = await startHarness({ clock });
    const workerId = h.store.current().worker_id!;
    h.sim.revokeWorker(workerId);
    const worker = h.worker;
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return worker.observers.snapshot().registration.kind === 'credentials-rejected';
    }, 'the rejected state');
    const claimsBefore = h.sim.requests().filter((r) => r.route === 'claim').length;
    const id = h.sim.enqueue({ model: model('llm'), task: { kind: 'llm', messages: [] } });
    // Longer than the longest backoff (backoff_max_secs 0.4): no claim goes out, the job waits.
    await passTime(worker, clock, 1_000, 50);
    expect(h.sim.job(id)?.state).toBe('queued');
    expect(h.sim.requests().filter((r) => r.route === 'claim').length).toBe(claimsBefore);
  });
});

async function defaults() {
  const { defaultConfig } = await import('../../src/core/config/defaults.js');
  const { FAST_SCHEDULE } = await import('../helpers/harness.js');
  return { ...defaultConfig(), schedule: FAST_SCHEDULE };
}

describe('worker while a job runs', () => {
  it('keeps heartbeating with currentJobId and shipping logs during a long job', async () => {
    const { createSyntheticEngine } = await import('../../src/core/engine/synthetic/index.js');
    h = await startHarness({ engine: createSyntheticEngine({ delayMs: 800 }) });
    const id = h.sim.enqueue({ model: model('llm'), task: { kind: 'llm', messages: [] } });
    const sim = h.sim;
    await eventually(() => sim.job(id)?.state === 'leased', 'the claim');
    const leasedAt = Date.now();
    await eventually(() => sim.job(id)?.state === 'completed', 'the job', 5_000);
    const during = sim.heartbeats().filter((b) => b.currentJobId === id);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(sim.logs().some((l) => l.jobId === id && l.receivedAt < leasedAt + 700)).toBe(true);
  });
});
