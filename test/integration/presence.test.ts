// Presence rules end to end: the person at the machine comes first. A rule that holds stops new
// claims (never the running job) and the heartbeat says autoEnabled: false.
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import type { PresenceSource } from '../../src/core/presence/source.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, passTime, startHarness } from '../helpers/harness.js';
import type { ManualClock } from '../helpers/manual-clock.js';
import { manualClock } from '../helpers/manual-clock.js';
import type { Worker } from '../../src/core/runtime/worker.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The OS as a test controls it (power source and programs cannot be changed here). */
function fakeOs() {
  const state = { onBattery: false, processes: ['bash'] as string[] };
  const source: PresenceSource = {
    idleSeconds: async () => null,
    onBattery: async () => state.onBattery,
    processes: async () => state.processes,
  };
  return { state, source };
}

/** Lets the worker's time pass (100 ms at a time) until `predicate` holds. */
function until(worker: Worker, clock: ManualClock, predicate: () => boolean, what: string) {
  return eventually(async () => {
    await passTime(worker, clock, 100, 50);
    return predicate();
  }, what);
}

const job = { model: 'synthetic-llm', task: { kind: 'llm', messages: [] } };

describe('presence rules against the local studio', () => {
  it('stops claiming on battery, says why, and resumes on mains power', async () => {
    const os = fakeOs();
    const clock = manualClock();
    h = await startHarness({
      presence: os.source,
      config: { pause_on_battery: true, presence_hold_secs: 0 },
      clock,
    });
    os.state.onBattery = true;
    const worker = h.worker;
    const sim = h.sim;
    await until(
      worker,
      clock,
      () => worker.observers.snapshot().pausedReason === 'on battery',
      'the battery reason',
    );
    await until(
      worker,
      clock,
      () => sim.heartbeats().at(-1)?.capabilities.autoEnabled === false,
      'autoEnabled false',
    );
    const id = sim.enqueue(job);
    // Six claim intervals on battery: the job is not claimed.
    await passTime(worker, clock, 300, 50);
    expect(sim.job(id)?.state).toBe('queued');
    os.state.onBattery = false;
    await until(worker, clock, () => sim.job(id)?.state === 'completed', 'the job on mains power');
  });

  it('never stops a running job when a rule starts to hold', async () => {
    const os = fakeOs();
    const clock = manualClock();
    h = await startHarness({
      presence: os.source,
      engine: createSyntheticEngine({ delayMs: 600 }),
      config: { pause_when_running: ['blender'], presence_hold_secs: 0 },
      clock,
    });
    const sim = h.sim;
    const worker = h.worker;
    await passTime(worker, clock, 0, 50);
    const first = sim.enqueue(job);
    // The next claim takes it; the job then runs 600 ms of real time (the synthetic engine).
    await clock.advance(50);
    await eventually(() => sim.job(first)?.state === 'leased', 'the first claim');
    os.state.processes = ['bash', 'blender'];
    const second = sim.enqueue(job);
    // The presence loop's next tick, during the job, sees blender.
    await clock.advance(100);
    await eventually(
      () => worker.observers.snapshot().pausedReason === 'blender is running',
      'the blender reason',
    );
    await eventually(() => sim.job(first)?.state === 'completed', 'the running job to finish');
    await passTime(worker, clock, 300, 50);
    expect(sim.job(second)?.state).toBe('queued');
  });

  it('waits out the hold time before pausing, so a short blip changes nothing', async () => {
    const os = fakeOs();
    const clock = manualClock();
    h = await startHarness({
      presence: os.source,
      config: { pause_on_battery: true, presence_hold_secs: 60 },
      clock,
    });
    const worker = h.worker;
    const sim = h.sim;
    os.state.onBattery = true;
    // 59 s on battery: still inside the hold time, so nothing pauses and jobs still run.
    await passTime(worker, clock, 59_000, 1_000);
    expect(worker.observers.snapshot().pausedReason).toBeNull();
    const id = sim.enqueue(job);
    await until(worker, clock, () => sim.job(id)?.state === 'completed', 'the job during the blip');
    // Past the hold time the rule holds.
    await passTime(worker, clock, 2_000, 1_000);
    expect(worker.observers.snapshot().pausedReason).toBe('on battery');
  });
});
