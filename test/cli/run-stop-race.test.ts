// `run` asked to stop at the very moment registration succeeds: the stop must still be heard.
// A signal that has already fired sends no further 'abort' event, so a wait set up after it
// (once the loops had started) used to hang the process until it was killed.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands/run.js';
import { whenAborted } from '../../src/cli/when-aborted.js';
import { startStudioSim, type StudioSim } from '../../src/studio-sim/index.js';
import { configFor, tempDir } from '../helpers/harness.js';

let sim: StudioSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('whenAborted', () => {
  it('resolves at once for a signal that has already fired, and later for one that fires later', async () => {
    const fired = new AbortController();
    fired.abort();
    await expect(whenAborted(fired.signal)).resolves.toBeUndefined();
    const later = new AbortController();
    let done = false;
    const waiting = whenAborted(later.signal).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    later.abort();
    await waiting;
    expect(done).toBe(true);
  });
});

describe('run stopped as registration succeeds', () => {
  it('stops cleanly with exit 0 instead of waiting for a signal that already fired', async () => {
    sim = await startStudioSim({ port: 0 });
    dir = await tempDir();
    const store = await configFor(sim, dir, { auto_update_enabled: false });
    const stop = new AbortController();
    const output: string[] = [];
    const code = await runCommand.run({
      io: {
        stdout: (text) => {
          output.push(text);
          // The user's Ctrl+C lands just as the worker says it registered.
          if (text.includes('registered as worker')) stop.abort();
        },
        stderr: (text) => output.push(text),
        env: {},
        isTty: false,
      },
      configPath: store.path,
      logFormat: 'text',
      values: {},
      positionals: [],
      stopSignal: stop.signal,
      forceStopSignal: new AbortController().signal,
    });
    expect(code, output.join('')).toBe(0);
    expect(output.join('')).toContain('stopped');
  });
});
