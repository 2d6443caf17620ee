// The real command runner, with small stand-in tools written to a temp dir and put on PATH: one
// that prints a recorded capture, one that hangs, one that fails, one that crashes, one that
// prints garbage — and the tool that is not there at all.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandRunner, decodeToolOutput } from '../../../src/core/host/command.js';
import { createHostProbe } from '../../../src/core/host/gpu-probe.js';
import { NVIDIA_SMI_ARGS } from '../../../src/core/host/nvidia-smi.js';
import { fakeFiles } from './fake-files.js';
import { fixture, fixturePath } from './fixtures.js';

const WIDE_CSV =
  'nvidia-smi/nvidia_gpu_exporter-rtx2080super-windows-query-gpu-wide-csv-header.txt';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-tools-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let count = 0;
/** A folder holding one executable `name` with this shell body; returns the folder. */
async function toolDir(name: string, body: string, mode = 0o755): Promise<string> {
  count += 1;
  const dir = path.join(root, `bin-${count}`);
  await mkdir(dir);
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, mode);
  return dir;
}

/** Only `dir` on PATH: no real driver tool can answer instead of the stand-in. */
const runnerIn = (dir: string) => createCommandRunner({ env: { PATH: dir } });

describe('createCommandRunner', () => {
  it('runs the tool found on PATH with its arguments as given, no shell between', async () => {
    const argsFile = path.join(root, 'args.txt');
    const dir = await toolDir(
      'nvidia-smi',
      `for a in "$@"; do printf '%s\\n' "$a"; done > '${argsFile}'\nexec /bin/cat '${fixturePath(WIDE_CSV)}'`,
    );
    const args = [...NVIDIA_SMI_ARGS, 'two words', '$(touch pwned)', ';', '*'];
    const result = await runnerIn(dir)('nvidia-smi', args, 5_000);
    expect(result).toEqual({ kind: 'ok', stdout: fixture(WIDE_CSV) });
    expect((await readFile(argsFile, 'utf8')).split('\n').slice(0, -1)).toEqual(args);
  });

  it('says a tool is missing when it is not on PATH', async () => {
    const dir = await toolDir('nvidia-smi', 'exit 0');
    expect(await runnerIn(dir)('rocm-smi', [], 5_000)).toEqual({ kind: 'missing' });
  });

  it('reports a non-zero exit with what the tool said', async () => {
    const dir = await toolDir(
      'nvidia-smi',
      `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."\nexit 9`,
    );
    expect(await runnerIn(dir)('nvidia-smi', [], 5_000)).toEqual({
      kind: 'failed',
      message:
        "exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    });
  });

  it('prefers stderr for the message of a failure', async () => {
    const dir = await toolDir(
      'rocm-smi',
      'echo "some table"\necho "ERROR: no AMD GPU" >&2\nexit 2',
    );
    expect(await runnerIn(dir)('rocm-smi', [], 5_000)).toEqual({
      kind: 'failed',
      message: 'exited with code 2: ERROR: no AMD GPU',
    });
  });

  it('reports a crash as killed by its signal', async () => {
    const dir = await toolDir('nvidia-smi', 'kill -SEGV $$');
    expect(await runnerIn(dir)('nvidia-smi', [], 5_000)).toEqual({
      kind: 'failed',
      message: 'was killed by SIGSEGV',
    });
  });

  it('gives up on a hung tool at the time limit and kills what it started', async () => {
    const pidFile = path.join(root, 'sleeper.pid');
    const dir = await toolDir('nvidia-smi', `/bin/sleep 30 &\necho $! > '${pidFile}'\nwait`);
    const started = Date.now();
    const result = await runnerIn(dir)('nvidia-smi', [], 300);
    expect(result).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_000);
    const sleeper = Number(await readFile(pidFile, 'utf8'));
    // A killed process may linger as a zombie until something reaps it: that counts as gone.
    const alive = async () => {
      try {
        process.kill(sleeper, 0);
      } catch {
        return false;
      }
      const stat = await readFile(`/proc/${sleeper}/stat`, 'utf8').catch(() => '');
      return !/^\d+ \(.*\) Z/.test(stat);
    };
    await expect.poll(alive, { timeout: 2_000 }).toBe(false);
  });

  it('says a tool that cannot be started could not start', async () => {
    const dir = await toolDir('nvidia-smi', 'exit 0', 0o644);
    const result = await runnerIn(dir)('nvidia-smi', [], 5_000);
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.message).toMatch(/^could not start: .*EACCES/);
  });
});

describe('the host probe with stand-in tools', () => {
  const probeWith = (dir: string, timeoutMs = 5_000) =>
    createHostProbe({
      platform: 'linux',
      run: runnerIn(dir),
      files: fakeFiles(),
      timeoutMs,
    }).probe();

  it('reads the GPUs from a stand-in nvidia-smi that prints a real capture', async () => {
    const dir = await toolDir('nvidia-smi', `exec /bin/cat '${fixturePath(WIDE_CSV)}'`);
    const host = await probeWith(dir);
    expect(host.gpus).toMatchObject([
      {
        name: 'NVIDIA GeForce RTX 2080 SUPER',
        vramTotalGb: 8,
        vramFreeGb: 7.12,
        source: 'nvidia-smi',
      },
    ]);
    expect(host.vramFreeGb).toBe(7.12);
  });

  it('answers within the time limit when nvidia-smi hangs, saying so', async () => {
    const dir = await toolDir('nvidia-smi', 'exec /bin/sleep 30');
    const started = Date.now();
    const host = await probeWith(dir, 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(host.gpus).toEqual([]);
    expect(host.gpuNotes[0]).toBe('nvidia-smi gave no answer within 0.3 s');
  });

  it('finds no GPU in garbage and quotes the start of it', async () => {
    const dir = await toolDir('nvidia-smi', `printf '\\001\\002<html>segfault?, , ,\\n'`);
    const host = await probeWith(dir);
    expect(host.gpus).toEqual([]);
    expect(host.gpuNotes[0]).toMatch(
      /^nvidia-smi printed no GPU we could read \(".*<html>segfault\?/,
    );
  });

  it('notes a failing nvidia-smi and goes on to the next probe', async () => {
    const dir = await toolDir('nvidia-smi', 'echo "No devices were found"\nexit 6');
    const host = await probeWith(dir);
    expect(host.gpuNotes).toEqual([
      'nvidia-smi exited with code 6: No devices were found',
      'no GPU under /proc/driver/nvidia/gpus',
      'no card with mem_info_vram_total under /sys/class/drm',
      'rocm-smi is not on PATH',
    ]);
  });
});

describe('decodeToolOutput', () => {
  it('reads UTF-16LE (as wmic writes to a pipe) and drops byte-order marks', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('AdapterRAM\r\n', 'utf16le'),
    ]);
    expect(decodeToolOutput(utf16)).toBe('AdapterRAM\r\n');
    expect(decodeToolOutput(Buffer.from('\uFEFFName : x', 'utf8'))).toBe('Name : x');
    expect(decodeToolOutput(Buffer.from('0, NVIDIA A40', 'utf8'))).toBe('0, NVIDIA A40');
  });
});
