import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/config/atomic-write.js';
import { useTempDirs } from './temp-dir.js';

const makeTempDir = useTempDirs();
const posixOnly = it.skipIf(process.platform === 'win32');

describe('writeFileAtomic', () => {
  it('writes the whole contents to the target', async () => {
    const target = path.join(await makeTempDir(), 'config.toml');
    await writeFileAtomic(target, 'engine = "synthetic"\n');
    expect(await readFile(target, 'utf8')).toBe('engine = "synthetic"\n');
  });

  posixOnly('creates the file with owner-only mode 0600', async () => {
    const target = path.join(await makeTempDir(), 'config.toml');
    await writeFileAtomic(target, 'a = 1\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  posixOnly('leaves a replaced file at mode 0600 even if it was world-readable', async () => {
    const target = path.join(await makeTempDir(), 'config.toml');
    await writeFile(target, 'a = 1\n', { mode: 0o644 });
    await writeFileAtomic(target, 'a = 2\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readFile(target, 'utf8')).toBe('a = 2\n');
  });

  it('leaves no temp file behind after a write', async () => {
    const dir = await makeTempDir();
    await writeFileAtomic(path.join(dir, 'config.toml'), 'a = 1\n');
    expect(await readdir(dir)).toEqual(['config.toml']);
  });

  it('removes its temp file when the rename fails', async () => {
    const dir = await makeTempDir();
    const target = path.join(dir, 'config.toml');
    await mkdir(target); // a folder where the file should go: the rename cannot replace it
    await expect(writeFileAtomic(target, 'a = 1\n')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['config.toml']);
  });
});
