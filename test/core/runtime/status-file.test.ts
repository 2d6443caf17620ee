import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';
import {
  publishStatus,
  readStatusFile,
  statusFilePath,
  STATUS_FILE_INTERVAL_MS,
} from '../../../src/core/runtime/status-file.js';
import { manualClock } from '../../helpers/manual-clock.js';

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function setup() {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'status-file-'));
  made.push(folder);
  const observers = new WorkerObservers(
    { agentVersion: '1', apiBaseUrl: 'http://x', configPath: '/c', engine: 'synthetic' },
    () => '2026-11-28',
  );
  const clock = manualClock(Date.parse('2026-11-28T12:00:00.000Z'));
  return { folder, observers, clock };
}

/** Waits for the write chain: the writes are real file I/O, only the timer is the manual clock's. */
async function written(
  folder: string,
  until: (s: Awaited<ReturnType<typeof readStatusFile>>) => boolean,
) {
  for (let i = 0; i < 200; i += 1) {
    const status = await readStatusFile(folder);
    if (until(status)) return status;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the status file never reached the expected state');
}

describe('publishStatus', () => {
  it('writes the snapshot at once, running, stamped with the clock', async () => {
    const { folder, observers, clock } = await setup();
    const stop = publishStatus(folder, observers, { clock });
    const status = await written(folder, (s) => s !== null);
    expect(status).toMatchObject({
      pid: process.pid,
      running: true,
      updatedAt: '2026-11-28T12:00:00.000Z',
    });
    await stop();
  });

  it('writes a burst of changes once the interval ends, as the latest', async () => {
    const { folder, observers, clock } = await setup();
    const stop = publishStatus(folder, observers, { clock });
    await written(folder, (s) => s !== null);
    for (let gb = 1; gb <= 20; gb += 1) observers.set({ vramThresholdGb: gb });
    await clock.advance(STATUS_FILE_INTERVAL_MS - 1);
    expect((await readStatusFile(folder))?.snapshot.vramThresholdGb).toBe(0);
    await clock.advance(1);
    const status = await written(folder, (s) => s?.snapshot.vramThresholdGb === 20);
    expect(status?.updatedAt).toBe('2026-11-28T12:00:01.000Z');
    await stop();
  });

  it('does not rewrite the file when a change leaves the snapshot as last written', async () => {
    const { folder, observers, clock } = await setup();
    const stop = publishStatus(folder, observers, { clock });
    await written(folder, (s) => s !== null);
    const file = statusFilePath(folder);
    const before = { text: await readFile(file, 'utf8'), ino: (await stat(file)).ino };
    observers.set({ vramThresholdGb: 5 });
    observers.set({ vramThresholdGb: 0 });
    await clock.advance(STATUS_FILE_INTERVAL_MS);
    // Each write renames a new file into place: the same inode means no write happened.
    expect((await stat(file)).ino).toBe(before.ino);
    expect(await readFile(file, 'utf8')).toBe(before.text);
    await stop();
    expect((await readStatusFile(folder))?.running).toBe(false);
  });

  it('writes the last snapshot as not running on stop, drops a held one, and leaves no temp file', async () => {
    const { folder, observers, clock } = await setup();
    const stop = publishStatus(folder, observers, { clock });
    observers.set({ vramThresholdGb: 3 });
    await stop();
    expect(clock.pending()).toBe(0);
    const status = await readStatusFile(folder);
    expect(status).toMatchObject({ running: false, snapshot: { vramThresholdGb: 3 } });
    expect(await readdir(folder)).toEqual(['worker-status.json']);
  });
});
