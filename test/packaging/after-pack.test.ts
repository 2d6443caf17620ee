// The afterPack hook's choice: flip the fuses of a real Electron binary, skip (with a reason) a
// stub, a missing file, or an explicit STUDIO_WORKER_SKIP_FUSES=1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUSE_SENTINEL,
  MIN_ELECTRON_BYTES,
  flipTargetPath,
  fuseBinaryPath,
  fuseDecision,
} from '../../scripts/after-pack.mjs';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-after-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file of `size` zero bytes with the fuse sentinel at `at` (or none). */
async function binary(name: string, size: number, at?: number): Promise<string> {
  const bytes = Buffer.alloc(size);
  if (at !== undefined) bytes.write(FUSE_SENTINEL, at, 'latin1');
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('the afterPack fuse decision', () => {
  it('skips the stub electronDist of the smoke test: too small to be Electron', async () => {
    const file = path.join(dir, 'stub');
    await writeFile(file, '#!/bin/sh\necho stub\n');
    const decision = await fuseDecision(file, {});
    expect(decision).toEqual({
      flip: false,
      reason: expect.stringContaining('not a real Electron'),
    });
  });

  it('skips a large binary that has no fuse wire', async () => {
    const file = await binary('big', MIN_ELECTRON_BYTES * 2);
    expect(await fuseDecision(file, {})).toMatchObject({
      flip: false,
      reason: expect.stringContaining('no fuse wire'),
    });
  });

  it('flips a binary carrying the fuse sentinel, even across a read-chunk boundary', async () => {
    const chunk = 4 * 1024 * 1024;
    const file = await binary('electron', chunk + 1024, chunk - 10);
    expect(await fuseDecision(file, {})).toEqual({ flip: true });
  });

  it('skips a missing binary, and any binary when STUDIO_WORKER_SKIP_FUSES=1', async () => {
    expect(await fuseDecision(path.join(dir, 'missing'), {})).toMatchObject({ flip: false });
    const file = await binary('electron-2', MIN_ELECTRON_BYTES + 100, 50);
    expect(await fuseDecision(file, { STUDIO_WORKER_SKIP_FUSES: '1' })).toEqual({
      flip: false,
      reason: 'STUDIO_WORKER_SKIP_FUSES=1',
    });
  });

  it('looks for the fuse wire where each platform keeps it', () => {
    const names = {
      appOutDir: '/out',
      productFilename: 'Studio Worker',
      executableName: 'studio-worker',
    };
    expect(fuseBinaryPath({ ...names, electronPlatformName: 'linux' })).toBe('/out/studio-worker');
    expect(fuseBinaryPath({ ...names, electronPlatformName: 'win32' })).toBe(
      '/out/Studio Worker.exe',
    );
    expect(fuseBinaryPath({ ...names, electronPlatformName: 'darwin' })).toBe(
      '/out/Studio Worker.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
    );
    expect(flipTargetPath({ ...names, electronPlatformName: 'darwin' })).toBe(
      '/out/Studio Worker.app',
    );
    expect(flipTargetPath({ ...names, electronPlatformName: 'linux' })).toBe('/out/studio-worker');
  });
});
