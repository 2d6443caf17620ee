import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWorkerLock, lockFilePath } from '../../../src/core/runtime/instance-lock.js';

let dir: string;
let config: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-lock-'));
  config = path.join(dir, 'config.toml');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one worker per config', () => {
  it('refuses a second holder while the first lives, naming the first', async () => {
    const first = await acquireWorkerLock(config, 'the Studio Worker tray app', { pid: 100 });
    expect(first.kind).toBe('acquired');
    const second = await acquireWorkerLock(config, 'studio-worker run', {
      pid: 200,
      isAlive: (pid) => pid === 100,
    });
    expect(second.kind).toBe('held');
    if (second.kind !== 'held') return;
    expect(second.by).toMatchObject({ pid: 100, holder: 'the Studio Worker tray app' });
    expect(second.message).toContain(config);
    expect(second.message).toContain('the Studio Worker tray app (pid 100');
  });

  it('takes over a lock whose process is gone (a crash or SIGKILL)', async () => {
    await acquireWorkerLock(config, 'studio-worker run', { pid: 100 });
    const next = await acquireWorkerLock(config, 'the Studio Worker tray app', {
      pid: 200,
      isAlive: () => false,
    });
    expect(next.kind).toBe('acquired');
    expect(JSON.parse(await readFile(lockFilePath(config), 'utf8'))).toMatchObject({ pid: 200 });
  });

  it('takes over an unreadable lock file', async () => {
    await writeFile(lockFilePath(config), 'garbage');
    const next = await acquireWorkerLock(config, 'studio-worker run', { isAlive: () => true });
    expect(next.kind).toBe('acquired');
  });

  it('frees the lock on release, and never removes one another process took over', async () => {
    const first = await acquireWorkerLock(config, 'a', { pid: 100 });
    if (first.kind !== 'acquired') throw new Error('not acquired');
    await first.release();
    const again = await acquireWorkerLock(config, 'b', { pid: 300, isAlive: () => true });
    expect(again.kind).toBe('acquired');
    await first.release();
    expect(JSON.parse(await readFile(lockFilePath(config), 'utf8'))).toMatchObject({ pid: 300 });
  });
});
