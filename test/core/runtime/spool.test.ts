import { mkdtemp, readFile, readdir, stat, writeFile, truncate } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  QUARANTINE_DIR,
  SPOOL_MARKER,
  SpoolCorruptError,
  SpoolFolderRefusedError,
  createSpool,
  spoolFileBase,
} from '../../../src/core/runtime/spool.js';

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
    expect(await readdir(spool.dir)).toEqual([SPOOL_MARKER]);
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
    await writeFile(path.join(spool.dir, `${spoolFileBase('orphan')}.data`), 'no metadata');
    await writeFile(path.join(spool.dir, `${spoolFileBase('x')}.json.tmp`), '{"half');
    expect((await createSpool(spool.dir).init()).discarded).toBe(2);
    expect((await spool.list()).map((e) => e.jobId)).toEqual(['kept']);
    expect(await readdir(spool.dir)).toHaveLength(2); // the entry and the marker
  });

  it('discards the temp files of writes a crash cut off (data and metadata), never a foreign look-alike', async () => {
    const spool = await tempSpool();
    const base = spoolFileBase('cut-off');
    await writeFile(path.join(spool.dir, `.${base}.data.4242.0123456789ab.tmp`), 'half the bytes');
    await writeFile(path.join(spool.dir, `.${base}.json.4242.ba9876543210.tmp`), '{"half');
    await writeFile(path.join(spool.dir, '.notes.txt.4242.0123456789ab.tmp'), 'not ours');
    const report = await createSpool(spool.dir).init();
    expect(report.discarded).toBe(2);
    expect(report.foreign).toEqual(['.notes.txt.4242.0123456789ab.tmp']);
    expect((await readdir(spool.dir)).sort()).toEqual(
      ['.notes.txt.4242.0123456789ab.tmp', SPOOL_MARKER].sort(),
    );
  });

  it('leaves no temp file behind after putting entries', async () => {
    const spool = await tempSpool();
    await spool.put({
      ...meta,
      jobId: 'b',
      finishedAt: '2026-11-28T00:00:01.000Z',
      result: { type: 'bytes', ext: 'png', data: new Uint8Array([1, 2, 3]) },
    });
    await spool.put({
      ...meta,
      jobId: 'j',
      finishedAt: '2026-11-28T00:00:02.000Z',
      result: { type: 'json', value: { a: 1 } },
    });
    expect((await readdir(spool.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
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

  it('refuses a folder that holds other files, and deletes or creates nothing in it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    await writeFile(path.join(dir, 'config.toml'), 'auth_token = "secret"\n');
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const spool = createSpool(dir);
    const refused = await spool.init().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SpoolFolderRefusedError);
    expect((refused as Error).message).toContain(`spool_dir ${dir} already holds files`);
    expect((refused as Error).message).toContain('"config.toml"');
    expect((refused as Error).message).toContain('set spool_dir to a new or empty folder');
    // The claim loop's check says the same, and no result can be written there.
    expect(await spool.problem(0)).toBe((refused as Error).message);
    await expect(
      spool.put({
        ...meta,
        jobId: 'j',
        finishedAt: meta.startedAt,
        result: { type: 'json', value: 1 },
      }),
    ).rejects.toBeInstanceOf(SpoolFolderRefusedError);
    expect((await readdir(dir)).sort()).toEqual(['config.toml', 'notes.txt']);
    expect(await readFile(path.join(dir, 'config.toml'), 'utf8')).toBe('auth_token = "secret"\n');
  });

  it('deletes only its own files: a file dropped into its folder survives a restart', async () => {
    const spool = await tempSpool();
    await writeFile(path.join(spool.dir, 'notes.txt'), 'mine');
    await writeFile(path.join(spool.dir, 'render.png'), 'mine too');
    const report = await createSpool(spool.dir).init();
    expect(report.foreign.sort()).toEqual(['notes.txt', 'render.png']);
    expect((await readdir(spool.dir)).sort()).toEqual([SPOOL_MARKER, 'notes.txt', 'render.png']);
  });

  it('adopts the folder of the previous version (base64url names), keeping its results', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    // What the previous version left: `<base64url(jobId)>.json` and `.data`, and no marker.
    const data = Buffer.from('old result');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const old = {
      ...meta,
      jobId: 'old/1',
      finishedAt: meta.startedAt,
      result: { type: 'bytes', ext: 'png', size: data.length, sha256 },
    };
    const b64 = Buffer.from('old/1').toString('base64url');
    await writeFile(path.join(dir, `${b64}.data`), data);
    await writeFile(path.join(dir, `${b64}.json`), JSON.stringify(old));
    const spool = createSpool(dir);
    const report = await spool.init();
    expect(report.adopted).toBe(true);
    const [entry] = await spool.list();
    expect(entry).toEqual(old);
    expect(await readFile(await spool.dataPath(entry!))).toEqual(data);
    const base = spoolFileBase('old/1');
    expect((await readdir(dir)).sort()).toEqual(
      [SPOOL_MARKER, `${base}.data`, `${base}.json`].sort(),
    );
  });

  it('finishes an adoption that a crash cut off after the data file was renamed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    const data = Buffer.from('old result');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const old = {
      ...meta,
      jobId: 'old/2',
      finishedAt: meta.startedAt,
      result: { type: 'bytes', ext: 'png', size: data.length, sha256 },
    };
    // Marked, data already under its new name, metadata still under the old one.
    await writeFile(path.join(dir, SPOOL_MARKER), 'marker');
    await writeFile(path.join(dir, `${spoolFileBase('old/2')}.data`), data);
    await writeFile(
      path.join(dir, `${Buffer.from('old/2').toString('base64url')}.json`),
      JSON.stringify(old),
    );
    const spool = createSpool(dir);
    expect((await spool.init()).discarded).toBe(0);
    const [entry] = await spool.list();
    expect(await readFile(await spool.dataPath(entry!))).toEqual(data);
  });

  it('takes a folder whose marker a crash cut off mid-write', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    await writeFile(path.join(dir, `${SPOOL_MARKER}.tmp`), 'This folder');
    await createSpool(dir).init();
    expect(await readdir(dir)).toEqual([SPOOL_MARKER]);
  });

  it('takes a fresh folder whose marker write (unique temp name) a crash cut off', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    await writeFile(path.join(dir, `.${SPOOL_MARKER}.4242.0123456789ab.tmp`), 'This folder');
    await createSpool(dir).init();
    expect(await readdir(dir)).toEqual([SPOOL_MARKER]);
  });

  it('refuses an unmarked folder whose spool-like names no entry proves', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spool-test-'));
    await writeFile(path.join(dir, 'eA.json'), '{"not":"a spool entry"}');
    await expect(createSpool(dir).init()).rejects.toBeInstanceOf(SpoolFolderRefusedError);
    expect(await readdir(dir)).toEqual(['eA.json']);
  });

  it('keeps a result of a 256-character job id under a fixed-length file name', async () => {
    const spool = await tempSpool();
    const jobId = 'j'.repeat(256);
    const entry = await spool.put({
      ...meta,
      jobId,
      finishedAt: meta.startedAt,
      result: { type: 'bytes', ext: 'png', data: new Uint8Array([1, 2]) },
    });
    const names = (await readdir(spool.dir)).filter((n) => n !== SPOOL_MARKER);
    expect(names.map((n) => n.length)).toEqual([69, 69]);
    const restarted = createSpool(spool.dir);
    await restarted.init();
    expect((await restarted.list()).map((e) => e.jobId)).toEqual([jobId]);
    expect(await readFile(await restarted.dataPath(entry))).toEqual(Buffer.from([1, 2]));
    await restarted.remove(jobId);
    expect(await readdir(spool.dir)).toEqual([SPOOL_MARKER]);
  });

  it('moves metadata that is empty and names no job into quarantine/, never deleting it', async () => {
    const spool = await tempSpool();
    const base = spoolFileBase('lost');
    await writeFile(path.join(spool.dir, `${base}.json`), '');
    await writeFile(path.join(spool.dir, `${base}.data`), 'the result');
    const restarted = createSpool(spool.dir);
    const report = await restarted.init();
    expect(report.quarantined).toEqual([`${base}.json`]);
    expect(restarted.damaged()).toEqual([]);
    const quarantine = path.join(spool.dir, QUARANTINE_DIR);
    expect((await readdir(quarantine)).sort()).toEqual([`${base}.data`, `${base}.json`]);
    expect(await readFile(path.join(quarantine, `${base}.data`), 'utf8')).toBe('the result');
    expect(await restarted.list()).toEqual([]);
  });

  it('keeps garbled metadata whose job id is readable until it is reported, then sets it aside', async () => {
    const spool = await tempSpool();
    await spool.put({
      jobId: 'job-7', // first, as the job pipeline writes it
      ...meta,
      finishedAt: meta.startedAt,
      result: { type: 'bytes', ext: 'png', data: new Uint8Array([7]) },
    });
    const metaFile = path.join(spool.dir, `${spoolFileBase('job-7')}.json`);
    await truncate(metaFile, 30); // cut mid-write: `{"jobId":"job-7","kind":"image`
    const restarted = createSpool(spool.dir);
    expect((await restarted.init()).damaged).toEqual(['job-7']);
    expect(restarted.damaged()).toEqual(['job-7']);
    expect(await restarted.list()).toEqual([]);
    // Still in place: a stop before the report finds it again.
    await expect(createSpool(spool.dir).init()).resolves.toMatchObject({ damaged: ['job-7'] });
    const where = await restarted.quarantine('job-7');
    expect((await readdir(where)).length).toBe(2);
    expect(restarted.damaged()).toEqual([]);
    expect(await readdir(spool.dir)).toEqual([SPOOL_MARKER, QUARANTINE_DIR].sort());
  });
});
