// No loss, no duplicates: many jobs through a worker while every studio route misbehaves about
// one time in five. Every job must end exactly once at the studio, and the logs must arrive.
import { describe, expect, it } from 'vitest';
import type { FaultPlan } from '../../src/studio-sim/index.js';
import { eventually, startHarness } from '../helpers/harness.js';
import { BIG, report } from './report.js';

const JOBS = BIG ? 2_000 : 300;

/** About 20 % of requests on every route get one of the faults. */
const FAULTS: FaultPlan = {
  seed: 20261128,
  routes: {
    '*': {
      status: [
        { code: 503, probability: 0.06 },
        { code: 500, probability: 0.02 },
        { code: 429, probability: 0.01, retryAfterSecs: 1 },
      ],
      drop: 0.04,
      hang: 0.01,
      afterEffect: 0.03,
      truncate: 0.015,
      malformed: 0.015,
    },
  },
};

const KINDS = [
  {
    model: 'synthetic-llm',
    task: { kind: 'llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 },
  },
  { model: 'synthetic-stt', task: { kind: 'audio_stt', input_url: 'https://example.com/a.wav' } },
  {
    model: 'synthetic-image',
    task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
  },
  { model: 'synthetic-tts', task: { kind: 'audio_tts', text: 'hi' } },
];

describe('chaos: no loss, no duplicates', () => {
  it(`ends each of ${JOBS} jobs exactly once at the studio under 20 % injected faults`, async () => {
    const h = await startHarness({
      sim: { leaseMs: 1_500, maxAttempts: 5, faults: FAULTS },
      clientTimeoutMs: 400,
      register: false,
    });
    try {
      const started = Date.now();
      const creds = await h.worker.ensureRegistered(AbortSignal.timeout(30_000));
      expect(creds).not.toBeNull();
      const ids = Array.from({ length: JOBS }, (_, i) => h.sim.enqueue(KINDS[i % KINDS.length]!));
      const sim = h.sim;
      const ended = () =>
        ids.filter((id) => ['completed', 'failed'].includes(sim.job(id)?.state ?? '')).length;
      await eventually(() => ended() === JOBS, `all ${JOBS} jobs to end`, BIG ? 600_000 : 150_000);

      // Let the worker flush its logs on a healthy studio, then compare what arrived.
      sim.setFaults(undefined);
      const faults = sim.faultsInjected();
      await h.worker.stop({ graceMs: 5_000 });
      const jobs = ids.map((id) => sim.job(id)!);
      const completed = jobs.filter((j) => j.state === 'completed').length;
      const failed = jobs.filter((j) => j.state === 'failed');
      const duplicates = jobs.filter((j) => j.completions > 1).length;
      const resent = jobs.reduce(
        (n, j) => n + j.history.filter((e) => e.kind === 'completion-rejected').length,
        0,
      );

      const arrived = new Set(sim.logs().map((l) => `${l.ts} ${l.message}`));
      const produced = h.logs.filter((l) => l.category !== 'logs');
      const missing = produced.filter((l) => !arrived.has(`${l.ts} ${l.message}`)).length;
      const dropped = h.worker.observers.snapshot().logsDropped;

      await report('no loss, no duplicates', {
        jobs: JOBS,
        'faults injected': faults,
        completed,
        failed: failed.length,
        lost: JOBS - completed - failed.length,
        duplicates,
        'uploads refused as already done': resent,
        'logs produced': produced.length,
        'logs shipped': produced.length - missing,
        'logs dropped (marker)': dropped,
        seconds: Math.round((Date.now() - started) / 1000),
      });
      expect(completed + failed.length).toBe(JOBS);
      expect(duplicates).toBe(0);
      expect(failed.every((j) => (j.error?.error ?? '').length > 0)).toBe(true);
      expect(missing).toBeLessThanOrEqual(dropped);
    } finally {
      await h.close();
    }
  }, 700_000);
});
