import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../../helpers/harness.js';
import { eventually, startHarness } from '../../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the worker lifecycle', () => {
  it('stop ends every loop it started and stops following the config file', async () => {
    h = await startHarness();
    const { worker, store } = h;
    await eventually(() => worker.loopActivity.current().size >= 3, 'the loops running');
    expect([...worker.loopActivity.current().keys()]).toEqual(
      expect.arrayContaining(['heartbeat', 'claim', 'log shipper']),
    );
    await worker.stop({ graceMs: 1_000 });
    expect([...worker.loopActivity.current().keys()]).toEqual([]);
    // The store tells its watchers about its own writes before update() resolves.
    await store.update((c) => ({ ...c, auto_enabled: false }));
    expect(worker.observers.snapshot().enabled).toBe(true);
  });

  it('the tick flags and the snapshot show the same paused reason', async () => {
    h = await startHarness({ start: false });
    const { worker } = h;
    worker.hold('suspend', 'system is going to sleep');
    worker.snooze(30);
    expect(worker.context.flags.pausedReason).toBe('system is going to sleep');
    expect(worker.observers.snapshot().pausedReason).toBe('system is going to sleep');
    worker.hold('suspend', null);
    expect(worker.context.flags.pausedReason).toMatch(/^snoozed until \d\d:\d\d$/);
    expect(worker.observers.snapshot().pausedReason).toBe(worker.context.flags.pausedReason);
    worker.snooze(0);
    expect(worker.context.flags.pausedReason).toBeNull();
    expect(worker.observers.snapshot().pausedReason).toBeNull();
  });
});
