// Disk trouble: when results cannot be kept, the worker claims nothing and says why, instead of
// running jobs whose results it would lose.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/harness.js';
import { eventually, passTime, startHarness, tempDir } from '../helpers/harness.js';
import { manualClock } from '../helpers/manual-clock.js';
import { report } from './report.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const job = { model: 'synthetic-llm', task: { kind: 'llm', messages: [] } };
const claims = (x: Harness) => x.sim.requests().filter((r) => r.route === 'claim').length;

describe('chaos: disk trouble', () => {
  it('claims nothing while the spool folder cannot be written, and says why', async () => {
    const dir = await tempDir();
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the spool folder should be');
    const clock = manualClock();
    h = await startHarness({
      config: { spool_dir: path.join(blocker, 'spool') },
      start: false,
      clock,
    });
    await h.worker.start().catch(() => undefined);
    const id = h.sim.enqueue(job);
    const worker = h.worker;
    await eventually(async () => {
      await passTime(worker, clock, 50, 50);
      return (worker.observers.snapshot().pausedReason ?? '').startsWith('cannot write results to');
    }, 'the spool reason');
    // Six claim intervals later still no claim has gone out.
    await passTime(worker, clock, 300, 50);
    expect(claims(h)).toBe(0);
    expect(h.sim.job(id)?.state).toBe('queued');
    await report('disk trouble: unwritable spool', {
      reason: worker.observers.snapshot().pausedReason ?? '',
      claims: claims(h),
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('claims nothing while the disk is full, and resumes when there is room again', async () => {
    h = await startHarness({ config: { auto_enabled: false } });
    const spoolDir = h.store.current().spool_dir!;
    await mkdir(spoolDir, { recursive: true });
    // Writing to /dev/full fails with ENOSPC: the spool's write check lands there.
    await symlink('/dev/full', path.join(spoolDir, '.write-probe'));
    await h.store.update((c) => ({ ...c, auto_enabled: true }));
    const id = h.sim.enqueue(job);
    const worker = h.worker;
    await eventually(
      () => (worker.observers.snapshot().pausedReason ?? '').includes('ENOSPC'),
      'the disk-full reason',
    );
    expect(claims(h)).toBe(0);
    expect(h.sim.heartbeats().at(-1)?.capabilities.autoEnabled).toBe(false);

    await rm(path.join(spoolDir, '.write-probe'));
    const sim = h.sim;
    await eventually(
      () => sim.job(id)?.state === 'completed',
      'the job once the disk has room',
      5_000,
    );
    expect(worker.observers.snapshot().pausedReason).toBeNull();
  });

  it('claims nothing while free space is below the minimum', async () => {
    h = await startHarness({ spoolMinFreeBytes: Number.MAX_SAFE_INTEGER });
    h.sim.enqueue(job);
    const worker = h.worker;
    await eventually(
      () => (worker.observers.snapshot().pausedReason ?? '').startsWith('disk nearly full'),
      'the low-space reason',
    );
    expect(claims(h)).toBe(0);
  });
});
