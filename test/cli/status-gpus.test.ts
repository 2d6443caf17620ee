// `studio-worker status` as a real process with no worker running: it probes the GPUs itself,
// here through a stand-in nvidia-smi on PATH that prints a recorded capture.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/harness.js';
import { fixturePath } from '../core/host/fixtures.js';

const WIDE_CSV = fixturePath(
  'nvidia-smi/nvidia_gpu_exporter-rtx2080super-windows-query-gpu-wide-csv-header.txt',
);

let dir: string;
let config: string;
let bin: string;
beforeEach(async () => {
  dir = await tempDir();
  config = path.join(dir, 'config.toml');
  bin = path.join(dir, 'bin');
  await mkdir(bin);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function standInNvidiaSmi(): Promise<void> {
  const file = path.join(bin, 'nvidia-smi');
  await writeFile(file, `#!/bin/sh\nexec /bin/cat '${WIDE_CSV}'\n`);
  await chmod(file, 0o755);
}

/** `studio-worker --config <config> ...args` with only the stand-in tools on PATH. */
async function status(...args: string[]) {
  return spawnCli(['--config', config, 'status', ...args], { PATH: bin }).exited;
}

describe('status with no worker running', () => {
  it('lists each detected GPU with total and free VRAM, utilisation and driver', async () => {
    await standInNvidiaSmi();
    const r = await status();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VRAM threshold: 12 GB (detected 8 GB)');
    expect(r.stdout).toContain(
      'GPUs:           GPU 0: NVIDIA GeForce RTX 2080 SUPER: 8 GB VRAM, 7.12 GB free, 0% busy, driver 591.86\n',
    );
  });

  it('has the GPUs under `gpus` in --json', async () => {
    await standInNvidiaSmi();
    const r = await status('--json');
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      running: false,
      vramTotalGb: 8,
      gpus: [
        {
          index: 0,
          name: 'NVIDIA GeForce RTX 2080 SUPER',
          vramTotalGb: 8,
          vramUsedGb: 0.69,
          vramFreeGb: 7.12,
          utilizationPercent: 0,
          driverVersion: '591.86',
          source: 'nvidia-smi',
        },
      ],
    });
  });

  it('says no GPU was detected and why', async () => {
    const r = await status();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GPUs:           none detected\n');
    expect(r.stdout).toContain('                (nvidia-smi is not on PATH)\n');
  });
});
