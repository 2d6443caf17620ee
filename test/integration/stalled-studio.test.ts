// A studio that stalls cannot wedge the worker: a claim that outlasts its deadline shows as an
// error, and a stop ends every studio call in flight with the result kept in the spool.
// Real time: a real worker against the real local studio, with deadlines of a fraction of a second.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workerStatusOf } from '../../src/shared/worker-status.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const imageJob = {
  model: 'synthetic-image',
  task: { kind: 'image', prompt: 'keep', width: 16, height: 16, ext: 'png' },
};

describe('a stalled studio', () => {
  it('shows a claim whose answer trickles past its deadline as an error, not as idle', async () => {
    h = await startHarness({ clientTimeoutMs: 300 });
    // 16 bytes every 100 ms: each arrives well inside any idle timeout, the whole takes seconds.
    h.sim.setFaults({ routes: { claim: { trickleMs: 100 } } });
    const worker = h.worker;
    h.sim.enqueue(imageJob);
    await eventually(
      () => workerStatusOf(worker.observers.snapshot()).kind === 'offline',
      'offline',
    );
    const status = workerStatusOf(worker.observers.snapshot());
    expect(status).toMatchObject({
      kind: 'offline',
      reason: expect.stringMatching(/^claim failed: .* did not answer in full within 0\.3 s/),
    });
  });

  it('stops at once while an upload waits on a studio that never answers, keeping the result', async () => {
    // Only the stop can end this upload: the request timeout is a minute.
    h = await startHarness({ clientTimeoutMs: 60_000 });
    h.sim.setFaults({ routes: { complete: { hang: 1 } } });
    const sim = h.sim;
    const id = sim.enqueue(imageJob);
    await eventually(() => sim.requests().some((r) => r.route === 'complete'), 'the upload');
    const asked = Date.now();
    await h.worker.stop({ graceMs: 30_000 });
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(h.worker.observers.snapshot().recentJobs[0]).toMatchObject({
      id,
      outcome: { kind: 'spooled' },
    });
    const spooled = await readdir(path.join(h.dir, 'spool'));
    expect(spooled.some((f) => f.endsWith('.json'))).toBe(true);
    expect(h.worker.observers.snapshot().connection.kind).toBe('online');
  });
});
