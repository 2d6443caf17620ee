// Probe order, fallbacks, notes and caching, with a fake command runner and file reader: which
// tool answers on which platform, and what the worker learns when none does.
import { describe, expect, it } from 'vitest';
import type { ToolResult, CommandRunner } from '../../../src/core/host/command.js';
import {
  createHostProbe,
  detectGpus,
  PROBE_TTL_MS,
  probeTtlFor,
  STEADY_PROBE_TTL_MS,
  stepsFor,
  type ProbeIo,
  type ProbeStep,
} from '../../../src/core/host/gpu-probe.js';
import type { HostInfo } from '../../../src/core/host/host.js';
import { NVIDIA_SMI_ARGS } from '../../../src/core/host/nvidia-smi.js';
import { fakeFiles } from './fake-files.js';
import { fixture } from './fixtures.js';

const WIDE_CSV = fixture(
  'nvidia-smi/nvidia_gpu_exporter-rtx2080super-windows-query-gpu-wide-csv-header.txt',
);
const L4 = fixture('nvidia-proc/snapd-pr14893-l4-information.txt');

/** A runner that answers per tool and records each call; tools it does not know are missing. */
function fakeRunner(answers: Record<string, ToolResult>) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number }[] = [];
  const run: CommandRunner = async (file, args, timeoutMs) => {
    calls.push({ file, args, timeoutMs });
    return answers[file] ?? { kind: 'missing' };
  };
  return { run, calls, tools: () => calls.map((c) => c.file) };
}

const ok = (stdout: string): ToolResult => ({ kind: 'ok', stdout });

function io(run: CommandRunner, files = fakeFiles()): ProbeIo {
  return { run, files, ramGb: 16, timeoutMs: 1234 };
}

describe('detectGpus on Linux', () => {
  it('uses nvidia-smi first and runs nothing else when it answers', async () => {
    const runner = fakeRunner({ 'nvidia-smi': ok(WIDE_CSV) });
    const files = fakeFiles();
    const found = await detectGpus(stepsFor('linux'), io(runner.run, files));
    expect(found.source).toBe('nvidia-smi');
    expect(found.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 2080 SUPER']);
    expect(found.notes).toEqual([]);
    expect(runner.calls).toEqual([{ file: 'nvidia-smi', args: NVIDIA_SMI_ARGS, timeoutMs: 1234 }]);
    expect(files.reads).toEqual([]);
  });

  it('falls back to /proc when nvidia-smi is missing, and says why', async () => {
    const runner = fakeRunner({});
    const files = fakeFiles({ '/proc/driver/nvidia/gpus/0000:70:00.0/information': L4 });
    const found = await detectGpus(stepsFor('linux'), io(runner.run, files));
    expect(found).toMatchObject({ source: 'nvidia-proc', notes: ['nvidia-smi is not on PATH'] });
    expect(found.gpus).toMatchObject([{ name: 'NVIDIA L4', vramTotalGb: null }]);
  });

  it('goes on past a failing and a hung nvidia-smi to the AMD probes', async () => {
    const json = fixture('amd/rocm-smi-productname-use-meminfo-vram-json-rx7900xt.json');
    const runner = fakeRunner({
      'nvidia-smi': {
        kind: 'failed',
        message:
          "exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      },
      'rocm-smi': ok(json),
    });
    const found = await detectGpus(stepsFor('linux'), io(runner.run));
    expect(found.source).toBe('rocm-smi');
    expect(found.gpus).toMatchObject([{ name: 'Radeon RX 7900 XT', vramTotalGb: 19.98 }]);
    expect(found.notes).toEqual([
      "nvidia-smi exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      'no GPU under /proc/driver/nvidia/gpus',
      'no card with mem_info_vram_total under /sys/class/drm',
    ]);
    expect(runner.tools()).toEqual(['nvidia-smi', 'rocm-smi']);
  });

  it('reads amdgpu sysfs before running rocm-smi', async () => {
    const runner = fakeRunner({ 'nvidia-smi': { kind: 'timeout', timeoutMs: 1234 } });
    const files = fakeFiles({
      '/sys/class/drm/card0/device/mem_info_vram_total': fixture(
        'amd/sysfs-mem_info_vram_total-rx570.txt',
      ),
    });
    const found = await detectGpus(stepsFor('linux'), io(runner.run, files));
    expect(found).toMatchObject({ source: 'amd-sysfs', gpus: [{ vramTotalGb: 4 }] });
    expect(found.notes).toEqual([
      'nvidia-smi gave no answer within 1.234 s',
      'no GPU under /proc/driver/nvidia/gpus',
    ]);
    expect(runner.tools()).toEqual(['nvidia-smi']);
  });

  it('finds no GPU and says why for each probe when the machine has none', async () => {
    const found = await detectGpus(stepsFor('linux'), io(fakeRunner({}).run));
    expect(found).toEqual({
      gpus: [],
      source: null,
      notes: [
        'nvidia-smi is not on PATH',
        'no GPU under /proc/driver/nvidia/gpus',
        'no card with mem_info_vram_total under /sys/class/drm',
        'rocm-smi is not on PATH',
      ],
    });
  });

  it('says what a tool printed when none of it was a GPU', async () => {
    const runner = fakeRunner({ 'nvidia-smi': ok('No devices were found\n') });
    const found = await detectGpus(stepsFor('linux'), io(runner.run));
    expect(found.notes[0]).toBe(
      'nvidia-smi printed no GPU we could read ("No devices were found")',
    );
  });

  it('keeps going when a probe throws', async () => {
    const broken: ProbeStep = {
      name: 'broken',
      probe: () => Promise.reject(new Error('parser bug')),
    };
    const runner = fakeRunner({ 'nvidia-smi': ok(WIDE_CSV) });
    const found = await detectGpus([broken, ...stepsFor('linux')], io(runner.run));
    expect(found.source).toBe('nvidia-smi');
    expect(found.notes).toEqual(['broken failed: parser bug']);
  });
});

describe('detectGpus on macOS and Windows', () => {
  it('asks system_profiler on macOS and reads its text form', async () => {
    const text = fixture('macos/system_profiler-text-apple-m1-macbookair-graphics-displays.txt');
    const runner = fakeRunner({ system_profiler: ok(text) });
    const found = await detectGpus(stepsFor('darwin'), io(runner.run));
    expect(found).toMatchObject({
      source: 'macos',
      gpus: [{ name: 'Apple M1', vramTotalGb: 16, unifiedMemory: true }],
    });
    expect(runner.calls[0]?.args).toEqual(['SPDisplaysDataType', '-json']);
  });

  it('prefers nvidia-smi on Windows', async () => {
    const runner = fakeRunner({ 'nvidia-smi': ok(WIDE_CSV), powershell: ok('') });
    const found = await detectGpus(stepsFor('win32'), io(runner.run));
    expect(found.source).toBe('nvidia-smi');
    expect(runner.tools()).toEqual(['nvidia-smi']);
  });

  it('falls back to Get-CimInstance, keeping the note about the AdapterRAM cap', async () => {
    const runner = fakeRunner({
      powershell: ok(fixture('windows/cim-videocontroller-list-rx9070xt.txt')),
    });
    const found = await detectGpus(stepsFor('win32'), io(runner.run));
    expect(found.source).toBe('windows');
    expect(found.gpus).toMatchObject([{ name: 'AMD Radeon RX 9070 XT', vramTotalGb: null }]);
    expect(found.notes[0]).toBe('nvidia-smi is not on PATH');
    expect(found.notes[1]).toMatch(/AMD Radeon RX 9070 XT: .*at least 4 GB/);
  });

  it('falls back to wmic when PowerShell is missing', async () => {
    const runner = fakeRunner({
      wmic: ok(fixture('windows/wmic-videocontroller-rtx4090-plus-intel-uhd770.txt')),
    });
    const found = await detectGpus(stepsFor('win32'), io(runner.run));
    expect(runner.tools()).toEqual(['nvidia-smi', 'powershell', 'wmic']);
    expect(found.gpus.map((g) => g.name)).toEqual([
      'NVIDIA GeForce RTX 4090',
      'Intel(R) UHD Graphics 770',
    ]);
  });
});

describe('createHostProbe', () => {
  it('reports the machine, the GPUs, the summed VRAM and the notes', async () => {
    const host = await createHostProbe({
      platform: 'linux',
      run: fakeRunner({ 'nvidia-smi': ok(WIDE_CSV) }).run,
      files: fakeFiles(),
    }).probe();
    expect(host).toMatchObject({ vramTotalGb: 8, vramFreeGb: 7.12, gpuNotes: [] });
    expect(host.machineName).not.toBe('');
    expect(host.gpus).toHaveLength(1);
  });

  it('reports 0 GB and unmeasurable free VRAM when no GPU is found', async () => {
    const host = await createHostProbe({
      platform: 'linux',
      run: fakeRunner({}).run,
      files: fakeFiles(),
    }).probe();
    expect(host).toMatchObject({ gpus: [], vramTotalGb: 0, vramFreeGb: null });
    expect(host.gpuNotes).toHaveLength(4);
  });

  it('runs one probe for concurrent callers and reuses it within the TTL', async () => {
    let clock = 0;
    let open: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (open = resolve));
    // nvidia-smi answers (with nothing readable), so it is asked again once the TTL is over.
    const runner = fakeRunner({ 'nvidia-smi': ok('') });
    // Each tool run waits at the gate, so both callers arrive while the first probe runs.
    const slowRun: CommandRunner = async (file, args, timeoutMs) => {
      await gate;
      return runner.run(file, args, timeoutMs);
    };
    const probe = createHostProbe({
      platform: 'freebsd',
      run: slowRun,
      files: fakeFiles(),
      ttlMs: 4_000,
      now: () => clock,
    });
    const first = probe.probe();
    const second = probe.probe();
    open();
    expect(await first).toBe(await second);
    expect(runner.calls).toHaveLength(1);

    clock = 3_999;
    await probe.probe();
    expect(runner.calls).toHaveLength(1);

    clock = 4_000;
    gate = new Promise<void>((resolve) => (open = resolve));
    const third = probe.probe();
    open();
    await third;
    expect(runner.calls).toHaveLength(2);
  });
});

describe('probe cache on an idle machine', () => {
  it('keeps an answer that repeats the one before for STEADY_PROBE_TTL_MS, not one heartbeat', async () => {
    let clock = 0;
    const runner = fakeRunner({ 'nvidia-smi': ok(WIDE_CSV) });
    const probe = createHostProbe({
      platform: 'linux',
      run: runner.run,
      files: fakeFiles(),
      now: () => clock,
    });
    const smiCalls = () => runner.tools().filter((t) => t === 'nvidia-smi').length;
    await probe.probe();
    clock = PROBE_TTL_MS; // a first answer is kept only briefly
    await probe.probe();
    expect(smiCalls()).toBe(2);
    clock += STEADY_PROBE_TTL_MS - 1; // the second repeated the first: kept for longer
    await probe.probe();
    expect(smiCalls()).toBe(2);
    clock += 1;
    await probe.probe();
    expect(smiCalls()).toBe(3);
  });

  it('goes back to the short TTL as soon as an answer differs from the one before', () => {
    const host = (free: number): HostInfo => ({
      machineName: 'm',
      username: 'u',
      vramTotalGb: 24,
      vramFreeGb: free,
      gpus: [],
      gpuNotes: [],
    });
    expect(probeTtlFor(host(10), undefined)).toBe(PROBE_TTL_MS);
    expect(probeTtlFor(host(10), host(10))).toBe(STEADY_PROBE_TTL_MS);
    expect(probeTtlFor(host(9), host(10))).toBe(PROBE_TTL_MS);
  });
});
