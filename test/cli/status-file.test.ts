// The status file on a real folder, with the "once a second" timer driven by hand.
import { readFile, rm, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerObservers } from '../../src/core/runtime/observers.js';
import type { Later } from '../../src/cli/status-file.js';
import { publishStatus, readStatusFile, statusFilePath } from '../../src/cli/status-file.js';
import { tempDir } from '../helpers/harness.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function manualLater() {
  const pending: (() => void)[] = [];
  const later: Later = (fn) => {
    pending.push(fn);
    return () => pending.splice(pending.indexOf(fn), 1);
  };
  return { later, pending, fire: () => pending.splice(0).forEach((fn) => fn()) };
}

const observers = () =>
  new WorkerObservers(
    {
      agentVersion: '1.0.0',
      apiBaseUrl: 'http://127.0.0.1:1',
      configPath: '/c.toml',
      engine: 'synthetic',
    },
    () => '2026-12-04',
  );

/** Real time: lets the chained write of a flush reach the real disk (a few ms). */
const settle = () =>
  new Promise((r) => setImmediate(r)).then(() => new Promise((r) => setTimeout(r, 20)));

describe('publishStatus', () => {
  it('arms no timer while nothing changes', async () => {
    dir = await tempDir();
    const clock = manualLater();
    const stop = publishStatus(dir, observers(), 1000, clock.later);
    await settle();
    expect(clock.pending).toHaveLength(0);
    expect((await readStatusFile(dir))?.running).toBe(true);
    await stop();
  });

  it('writes a change once the interval passes', async () => {
    dir = await tempDir();
    const clock = manualLater();
    const o = observers();
    const stop = publishStatus(dir, o, 1000, clock.later);
    o.set({ snoozedUntil: '2026-12-04T18:00:00.000Z' });
    o.set({ pausedReason: 'snooze' });
    expect(clock.pending).toHaveLength(1); // two changes, one write
    clock.fire();
    await settle();
    expect((await readStatusFile(dir))?.snapshot.snoozedUntil).toBe('2026-12-04T18:00:00.000Z');
    await stop();
  });

  it('does not rewrite the file when a change leaves the snapshot as last written', async () => {
    dir = await tempDir();
    const clock = manualLater();
    const o = observers();
    const stop = publishStatus(dir, o, 1000, clock.later);
    await settle();
    const file = statusFilePath(dir);
    const before = { text: await readFile(file, 'utf8'), ino: (await stat(file)).ino };
    o.set({ snoozedUntil: '2026-12-04T18:00:00.000Z' });
    o.set({ snoozedUntil: null });
    clock.fire();
    await settle();
    // Each write renames a new file into place: the same inode means no write happened.
    expect((await stat(file)).ino).toBe(before.ino);
    expect(await readFile(file, 'utf8')).toBe(before.text);
    await stop();
    expect((await readStatusFile(dir))?.running).toBe(false);
  });
});
