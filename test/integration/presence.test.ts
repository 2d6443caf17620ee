// Presence rules end to end: the person at the machine comes first. A rule that holds stops new
// claims (never the running job) and the heartbeat says autoEnabled: false.
import { afterEach, describe, expect, it } from 'vitest';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import type { PresenceSource } from '../../src/core/presence/source.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness } from '../helpers/harness.js';

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

const job = { model: 'synthetic-llm', task: { kind: 'llm', messages: [] } };

describe('presence rules against the local studio', () => {
  it('stops claiming on battery, says why, and resumes on mains power', async () => {
    const os = fakeOs();
    h = await startHarness({
      presence: os.source,
      config: { pause_on_battery: true, presence_hold_secs: 0 },
    });
    os.state.onBattery = true;
    const worker = h.worker;
    await eventually(
      () => worker.observers.snapshot().pausedReason === 'on battery',
      'the battery reason',
    );
    const sim = h.sim;
    await eventually(
      () => sim.heartbeats().at(-1)?.capabilities.autoEnabled === false,
      'autoEnabled false',
    );
    const id = sim.enqueue(job);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.job(id)?.state).toBe('queued');
    os.state.onBattery = false;
    await eventually(() => sim.job(id)?.state === 'completed', 'the job on mains power', 5_000);
  });

  it('never stops a running job when a rule starts to hold', async () => {
    const os = fakeOs();
    h = await startHarness({
      presence: os.source,
      engine: createSyntheticEngine({ delayMs: 600 }),
      config: { pause_when_running: ['blender'], presence_hold_secs: 0 },
    });
    const first = h.sim.enqueue(job);
    const sim = h.sim;
    await eventually(() => sim.job(first)?.state === 'leased', 'the first claim');
    os.state.processes = ['bash', 'blender'];
    const second = sim.enqueue(job);
    await eventually(
      () => sim.job(first)?.state === 'completed',
      'the running job to finish',
      5_000,
    );
    expect(h.worker.observers.snapshot().pausedReason).toBe('blender is running');
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.job(second)?.state).toBe('queued');
  });

  it('waits out the hold time before pausing, so a short blip changes nothing', async () => {
    const os = fakeOs();
    h = await startHarness({
      presence: os.source,
      config: { pause_on_battery: true, presence_hold_secs: 60 },
    });
    os.state.onBattery = true;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.worker.observers.snapshot().pausedReason).toBeNull();
    const id = h.sim.enqueue(job);
    const sim = h.sim;
    await eventually(() => sim.job(id)?.state === 'completed', 'the job during the blip');
  });
});
