import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  atomicTempTarget,
  isTransientRenameError,
  writeFileAtomic,
} from '../../../src/core/files/atomic-write.js';
import { useTempDirs } from '../config/temp-dir.js';

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

  posixOnly('writes through a symlink: the link stays, the file it points at changes', async () => {
    const home = await makeTempDir();
    const dotfiles = await makeTempDir();
    const real = path.join(dotfiles, 'worker.toml');
    await writeFile(real, 'a = 1\n', { mode: 0o600 });
    const link = path.join(home, 'config.toml');
    await symlink(path.relative(home, real), link);
    await writeFileAtomic(link, 'a = 2\n', { symlinks: 'follow' });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(path.relative(home, real));
    expect(await readFile(real, 'utf8')).toBe('a = 2\n');
    // The temp file was made beside the target, and none is left in either folder.
    expect(await readdir(home)).toEqual(['config.toml']);
    expect(await readdir(dotfiles)).toEqual(['worker.toml']);
  });

  posixOnly('follows a chain of links, and creates the file a dangling link names', async () => {
    const dir = await makeTempDir();
    await symlink('middle.toml', path.join(dir, 'config.toml'));
    await symlink('real.toml', path.join(dir, 'middle.toml'));
    await writeFileAtomic(path.join(dir, 'config.toml'), 'a = 3\n', { symlinks: 'follow' });
    expect(await readFile(path.join(dir, 'real.toml'), 'utf8')).toBe('a = 3\n');
    expect((await lstat(path.join(dir, 'config.toml'))).isSymbolicLink()).toBe(true);
    expect((await lstat(path.join(dir, 'middle.toml'))).isSymbolicLink()).toBe(true);
  });

  posixOnly('refuses a loop of links without writing anything', async () => {
    const dir = await makeTempDir();
    await symlink('b.toml', path.join(dir, 'a.toml'));
    await symlink('a.toml', path.join(dir, 'b.toml'));
    await expect(
      writeFileAtomic(path.join(dir, 'a.toml'), 'a = 1\n', { symlinks: 'follow' }),
    ).rejects.toMatchObject({
      code: 'ELOOP',
    });
    expect((await readdir(dir)).sort()).toEqual(['a.toml', 'b.toml']);
  });

  posixOnly('replaces a symlink by default: the file it points at is left alone', async () => {
    const dir = await makeTempDir();
    const elsewhere = await makeTempDir();
    const outside = path.join(elsewhere, 'not-ours.txt');
    await writeFile(outside, 'keep me\n');
    const link = path.join(dir, 'worker-status.json');
    await symlink(outside, link);
    await writeFileAtomic(link, '{}');
    expect((await lstat(link)).isFile()).toBe(true);
    expect(await readFile(link, 'utf8')).toBe('{}');
    expect(await readFile(outside, 'utf8')).toBe('keep me\n');
  });

  it('writes bytes as they are', async () => {
    const target = path.join(await makeTempDir(), 'result.data');
    const bytes = Uint8Array.from([0, 255, 1, 254, 10, 13]);
    await writeFileAtomic(target, bytes);
    expect([...(await readFile(target))]).toEqual([...bytes]);
  });

  it('gives concurrent writes to one file separate temp files: the last rename wins whole', async () => {
    const dir = await makeTempDir();
    const target = path.join(dir, 'state.json');
    const texts = Array.from({ length: 8 }, (_, i) => `${String(i).repeat(10_000)}\n`);
    await Promise.all(texts.map((text) => writeFileAtomic(target, text)));
    expect(texts).toContain(await readFile(target, 'utf8'));
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('recognises its own temp file names, and only those', () => {
    expect(atomicTempTarget('.entry.json.1234.0123456789ab.tmp')).toBe('entry.json');
    expect(atomicTempTarget('..studio-worker-spool.7.abcdefabcdef.tmp')).toBe(
      '.studio-worker-spool',
    );
    expect(atomicTempTarget('entry.json.tmp')).toBeUndefined();
    expect(atomicTempTarget('.entry.json.tmp')).toBeUndefined();
    expect(atomicTempTarget('.entry.json.1234.notHEXnotHEX.tmp')).toBeUndefined();
  });

  it('retries a rename only for Windows\' "file in use" errors', () => {
    const busy = Object.assign(new Error('busy'), { code: 'EBUSY' });
    const denied = Object.assign(new Error('denied'), { code: 'EPERM' });
    const missing = Object.assign(new Error('missing'), { code: 'ENOENT' });
    expect(isTransientRenameError(busy, 'win32')).toBe(true);
    expect(isTransientRenameError(denied, 'win32')).toBe(true);
    expect(isTransientRenameError(missing, 'win32')).toBe(false);
    expect(isTransientRenameError(denied, 'linux')).toBe(false);
  });
});
