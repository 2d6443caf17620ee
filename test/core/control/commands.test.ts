import { afterEach, describe, expect, it } from 'vitest';
import { applyCommand, parseCommand } from '../../../src/core/control/commands.js';
import type { Harness } from '../../helpers/harness.js';
import { eventually, passTime, startHarness } from '../../helpers/harness.js';
import { manualClock } from '../../helpers/manual-clock.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('parseCommand', () => {
  it('accepts each well-formed command', () => {
    expect(parseCommand({ type: 'setEnabled', enabled: false })).toEqual({
      ok: true,
      command: { type: 'setEnabled', enabled: false },
    });
    expect(parseCommand({ type: 'saveSettings', settings: { vramThresholdGb: 8 } }).ok).toBe(true);
    expect(parseCommand({ type: 'snooze', minutes: 60 }).ok).toBe(true);
  });

  it('rejects unknown types, wrong types, extra keys and non-objects with a clear error', () => {
    expect(parseCommand({ type: 'formatDisk' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid command'),
    });
    expect(parseCommand({ type: 'setThreshold', gb: '12' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('gb'),
    });
    expect(parseCommand({ type: 'setEnabled', enabled: true, extra: 1 }).ok).toBe(false);
    expect(parseCommand(null).ok).toBe(false);
    expect(parseCommand({ type: 'setThreshold', gb: Number.NaN }).ok).toBe(false);
  });
});

describe('applyCommand', () => {
  it('setEnabled writes the config file and the running worker follows', async () => {
    h = await startHarness();
    expect(await applyCommand(h.worker, {}, { type: 'setEnabled', enabled: false })).toEqual({
      ok: true,
    });
    expect(h.store.current().auto_enabled).toBe(false);
  });

  it('a bad threshold comes back with the reason and the field, and nothing is saved', async () => {
    h = await startHarness();
    const result = await applyCommand(
      h.worker,
      {},
      { type: 'saveSettings', settings: { vramThresholdGb: -2, enabled: false } },
    );
    expect(result).toEqual({
      ok: false,
      error: 'vram_threshold_gb must be >= 0 (got -2) — the change was not saved',
      field: 'vramThresholdGb',
    });
    expect(h.store.current().vram_threshold_gb).toBe(12);
    expect(h.store.current().auto_enabled).toBe(true);
  });

  // 3,000,000 failed every job at once ("timed out after 3000000 s"); 1e10 threw a RangeError.
  it.each([3_000_000, 1e10, 5])(
    'refuses a job timeout of %d s from the window, naming the field and the range',
    async (secs) => {
      h = await startHarness();
      const result = await applyCommand(
        h.worker,
        {},
        { type: 'saveSettings', settings: { jobTimeoutSecs: secs } },
      );
      expect(result).toEqual({
        ok: false,
        error: `job_timeout_secs must be from 10 to 86400 (got ${secs}) — the change was not saved`,
        field: 'jobTimeoutSecs',
      });
      expect(h.store.current().job_timeout_secs).toBe(900);
    },
  );

  it('says which saved setting needs a restart', async () => {
    h = await startHarness();
    const result = await applyCommand(
      h.worker,
      {},
      { type: 'saveSettings', settings: { engine: 'multi', jobTimeoutSecs: 60 } },
    );
    expect(result).toEqual({ ok: true, message: 'saved; engine takes effect after a restart' });
    expect(h.store.current().job_timeout_secs).toBe(60);
  });

  it('snooze pauses claiming with a reason until it is ended', async () => {
    const clock = manualClock();
    h = await startHarness({ clock });
    const worker = h.worker;
    const sim = h.sim;
    await applyCommand(worker, {}, { type: 'snooze', minutes: 60 });
    const snap = worker.observers.snapshot();
    expect(snap.pausedReason).toMatch(/^snoozed until \d\d:\d\d$/);
    expect(snap.snoozedUntil).not.toBeNull();
    const id = sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
    // Six claim intervals while snoozed: the job is not claimed.
    await passTime(worker, clock, 300, 50);
    expect(sim.job(id)?.state).toBe('queued');
    await applyCommand(worker, {}, { type: 'snooze', minutes: 0 });
    expect(worker.observers.snapshot().pausedReason).toBeNull();
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return sim.job(id)?.state === 'completed';
    }, 'the job after the snooze');
  });

  it('snooze ends by itself when its minutes are over', async () => {
    const clock = manualClock();
    h = await startHarness({ clock });
    const worker = h.worker;
    const sim = h.sim;
    await applyCommand(worker, {}, { type: 'snooze', minutes: 1 });
    const id = sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
    await passTime(worker, clock, 59_000, 1_000);
    expect(worker.observers.snapshot().pausedReason).toMatch(/^snoozed until/);
    expect(sim.job(id)?.state).toBe('queued');
    await passTime(worker, clock, 1_000, 1_000);
    expect(worker.observers.snapshot().pausedReason).toBeNull();
    expect(worker.observers.snapshot().snoozedUntil).toBeNull();
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return sim.job(id)?.state === 'completed';
    }, 'the job after the snooze ran out');
  });

  it('register from the window stores new credentials', async () => {
    h = await startHarness({ register: false });
    const result = await applyCommand(
      h.worker,
      {},
      { type: 'register', bootstrapToken: 'dev-bootstrap-token' },
    );
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^registered as worker /),
    });
    expect(h.store.current().worker_id).toBe(h.sim.workers()[0]?.workerId);
  });

  it('a refused bootstrap token comes back as an error without the token', async () => {
    h = await startHarness({ register: false });
    const result = await applyCommand(
      h.worker,
      {},
      { type: 'register', bootstrapToken: 'not-the-token-4711' },
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('not-the-token-4711');
  });

  it('host actions the host does not offer say so', async () => {
    h = await startHarness();
    expect(await applyCommand(h.worker, {}, { type: 'openLogsFolder' })).toEqual({
      ok: false,
      error: 'opening the logs folder is not available here',
    });
    let opened = false;
    const host = { openLogsFolder: async () => void (opened = true) };
    expect(await applyCommand(h.worker, host, { type: 'openLogsFolder' })).toEqual({ ok: true });
    expect(opened).toBe(true);
  });
});
