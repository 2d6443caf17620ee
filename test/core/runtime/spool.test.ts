import { mkdtemp, readdir, stat, writeFile, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpoolCorruptError, createSpool } from '../../../src/core/runtime/spool.js';

async function tempSpool() {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'spool-test-')), 'spool');
  const spool = createSpool(dir);
  await spool.init();
  return spool;
}

const meta = {
  kind: 'image' as const,
  model: 'm',
  prompt: 'p',
  startedAt: '2026-11-28T00:00:00.000Z',
};

describe('spool', () => {
  it('creates its folder with owner-only permissions', async () => {
    const spool = await tempSpool();
    expect((await stat(spool.dir)).mode & 0o777).toBe(0o700);
  });

  it('keeps a bytes result until it is removed, and checks it is whole', async () => {
    const spool = await tempSpool();
    const data = new Uint8Array([1, 2, 3, 4]);
    await spool.put({
      ...meta,
      jobId: 'job/1',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'bytes', ext: 'png', data },
    });
    const [entry] = await spool.list();
    expect(entry?.jobId).toBe('job/1');
    expect(await spool.stats()).toEqual({ count: 1, bytes: 4 });
    expect(path.dirname(await spool.dataPath(entry!))).toBe(spool.dir);
    await spool.remove('job/1');
    expect(await spool.list()).toEqual([]);
    expect(await readdir(spool.dir)).toEqual([]);
  });

  it('lists entries oldest first', async () => {
    const spool = await tempSpool();
    await spool.put({
      ...meta,
      jobId: 'b',
      finishedAt: '2026-11-28T00:00:02.000Z',
      result: { type: 'json', value: 1 },
    });
    await spool.put({
      ...meta,
      jobId: 'a',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'json', value: 2 },
    });
    expect((await spool.list()).map((e) => e.jobId)).toEqual(['a', 'b']);
  });

  it('discards half-written leftovers on start and keeps committed entries', async () => {
    const spool = await tempSpool();
    await spool.put({
      ...meta,
      jobId: 'kept',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'json', value: {} },
    });
    await writeFile(path.join(spool.dir, 'b3JwaGFu.data'), 'orphan data without metadata');
    await writeFile(path.join(spool.dir, 'eA.json.tmp'), '{"half');
    expect(await createSpool(spool.dir).init()).toBe(2);
    expect((await spool.list()).map((e) => e.jobId)).toEqual(['kept']);
    expect(await readdir(spool.dir)).toHaveLength(1);
  });

  it('refuses to hand out a data file whose bytes changed after spooling', async () => {
    const spool = await tempSpool();
    const entry = await spool.put({
      ...meta,
      jobId: 'j',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'bytes', ext: 'png', data: new Uint8Array(100) },
    });
    await truncate(await spool.dataPath(entry), 10);
    await expect(spool.dataPath(entry)).rejects.toBeInstanceOf(SpoolCorruptError);
  });

  it('checks the checksum of results left by an earlier run, catching a same-size change', async () => {
    const spool = await tempSpool();
    const entry = await spool.put({
      ...meta,
      jobId: 'j',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'bytes', ext: 'png', data: new Uint8Array(100) },
    });
    await writeFile(await spool.dataPath(entry), new Uint8Array(100).fill(7));
    const restarted = createSpool(spool.dir);
    await restarted.init();
    const [again] = await restarted.list();
    await expect(restarted.dataPath(again!)).rejects.toBeInstanceOf(SpoolCorruptError);
  });
});
