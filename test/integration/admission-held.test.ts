// Admission that counts the engine's own model: a real worker against the real local studio,
// a fake host probe for the 8 GB card (no GPU here) and the synthetic engine standing in for
// ComfyUI or llama.cpp, which keep their model on the GPU after a job. That memory is the
// engine's: its next job of the same size must still be claimed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine, HeldVram } from '../../src/core/engine/engine.js';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import { fakeHost, type FakeHost } from '../helpers/fake-host.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ENGINE_PID = 4242;

const imageJob = (vramGbEstimate: number) => ({
  model: 'synthetic-image',
  vramGbEstimate,
  task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
});

/**
 * An engine that, like ComfyUI, keeps 6 GB on the card once it ran a job. It says so either
 * itself (`gb`, as ComfyUI's torch figures and llama's estimate do) or only through its process,
 * which nvidia-smi lists (`pid`).
 */
function residentEngine(host: FakeHost, how: 'gb' | 'pid' | 'none'): Engine {
  const synthetic = createSyntheticEngine();
  let loaded = false;
  const engine: Engine = {
    ...synthetic,
    async run(model, task, signal, job) {
      const result = await synthetic.run(model, task, signal, job);
      if (!loaded) {
        loaded = true;
        host.freeGb = 2;
        host.apps = [
          { pid: 777, processName: 'game.exe', usedGb: 0, gpuUuid: 'GPU-0' },
          { pid: ENGINE_PID, processName: 'python3', usedGb: 6, gpuUuid: 'GPU-0' },
        ];
      }
      return result;
    },
  };
  if (how !== 'none') {
    engine.heldVram = async (): Promise<HeldVram> => {
      if (!loaded) return { gb: 0, pids: [] };
      return how === 'gb' ? { gb: 6, pids: [] } : { gb: 0, pids: [ENGINE_PID] };
    };
  }
  return engine;
}

async function twoJobsOnAnEightGbCard(how: 'gb' | 'pid' | 'none') {
  const host = fakeHost({ totalGb: 8, freeGb: 8 });
  h = await startHarness({ host, engine: residentEngine(host, how) });
  const sim = h.sim;
  const first = sim.enqueue(imageJob(5));
  await eventually(() => sim.job(first)?.state === 'completed', 'the first job completed');
  const second = sim.enqueue(imageJob(5));
  return { host, sim, second };
}

describe("admission counts the engine's own model as free for its jobs", () => {
  it('claims the next 5 GB job when the engine says it keeps 6 GB of an 8 GB card', async () => {
    const { sim, second } = await twoJobsOnAnEightGbCard('gb');
    await eventually(() => sim.job(second)?.state === 'completed', 'the second job completed');
    expect(h?.worker.observers.snapshot().pausedReason).toBeNull();
    // 2 GB free + 6 GB held, less the 1 GB margin.
    expect(sim.heartbeats().at(-1)?.capabilities.vramThresholdGb).toBe(7);
  });

  it("claims it too when only nvidia-smi knows, by the engine's process id", async () => {
    const { sim, second } = await twoJobsOnAnEightGbCard('pid');
    await eventually(() => sim.job(second)?.state === 'completed', 'the second job completed');
    expect(sim.heartbeats().at(-1)?.capabilities.vramThresholdGb).toBe(7);
  });

  it('without the figures, pauses as "GPU busy" and leaves the job queued (what happened before)', async () => {
    const { sim, second } = await twoJobsOnAnEightGbCard('none');
    const reason = 'GPU busy: 2 GB free, claiming resumes at 3 GB';
    await eventually(
      () => h?.worker.observers.snapshot().pausedReason === reason,
      'the worker paused',
    );
    const heartbeats = sim.heartbeats().length;
    await eventually(() => sim.heartbeats().length >= heartbeats + 3, 'three more heartbeats');
    // Never run: either not claimed, or claimed on an older heartbeat and handed back as too large.
    expect(sim.job(second)?.state).toBe('queued');
    expect(sim.job(second)?.result).toBeUndefined();
  });

  it('never counts more than the card has, nor memory of processes that are not the engine', async () => {
    const { host, sim, second } = await twoJobsOnAnEightGbCard('pid');
    await eventually(() => sim.job(second)?.state === 'completed', 'the second job completed');
    // Another process takes the rest: only the engine's 6 GB count, so 0.5 + 6 − 1 = 5.5.
    host.freeGb = 0.5;
    host.apps = [
      { pid: 777, processName: 'game.exe', usedGb: 1.5, gpuUuid: 'GPU-0' },
      { pid: ENGINE_PID, processName: 'python3', usedGb: 6, gpuUuid: 'GPU-0' },
    ];
    await eventually(
      () => sim.heartbeats().at(-1)?.capabilities.vramThresholdGb === 5.5,
      'the threshold counting only the engine',
    );
    // A bogus reading (more held than the card has) is capped at the card: 8 − 1 = 7.
    host.freeGb = 4;
    host.apps = [{ pid: ENGINE_PID, processName: 'python3', usedGb: 600, gpuUuid: 'GPU-0' }];
    await eventually(
      () => sim.heartbeats().at(-1)?.capabilities.vramThresholdGb === 7,
      'the threshold capped at the card',
    );
  });
});
