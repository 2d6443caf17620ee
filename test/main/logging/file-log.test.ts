import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLogEntry } from '../../../src/core/runtime/log.js';
import { fileLogSink, rotateLogFiles } from '../../../src/main/logging/file-log.js';
import { FakeFileLog } from '../fakes.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('fileLogSink', () => {
  it('writes each entry at its level, in the CLI’s line format', () => {
    const file = new FakeFileLog();
    const sink = fileLogSink(file);
    sink(makeLogEntry(Date.parse('2026-05-16T00:00:00.000Z'), 'warn', 'claim', 'slow', 'j-1'));
    expect(file.lines).toEqual([
      { level: 'warn', line: '2026-05-16T00:00:00.000Z warn [claim] slow (job j-1)' },
    ]);
  });
});

describe('rotateLogFiles', () => {
  it('shifts main.log to main.1.log and older files up, keeping only the newest few', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-logs-'));
    const at = (name: string) => path.join(dir!, name);
    for (const [name, text] of [
      ['main.log', 'current'],
      ['main.1.log', 'one'],
      ['main.2.log', 'two'],
    ])
      await writeFile(at(name!), text!);
    rotateLogFiles(at('main.log'), 2);
    expect((await readdir(dir)).sort()).toEqual(['main.1.log', 'main.2.log']);
    expect(await readFile(at('main.1.log'), 'utf8')).toBe('current');
    expect(await readFile(at('main.2.log'), 'utf8')).toBe('one');
  });
});
