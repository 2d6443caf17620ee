// Admission as pure decisions (threshold, hold, fit, first-launch clamp) and the watch that
// applies them on every probe.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/config/defaults.js';
import type { HostInfo } from '../../../src/core/host/host.js';
import {
  admissionFor,
  claimedJobFit,
  detectedVramGb,
  firstLaunchThreshold,
  watchHost,
} from '../../../src/core/runtime/admission.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';
import type { GpuInfo, LogEntry } from '../../../src/shared/snapshot.js';
import { fakeHost } from '../../helpers/fake-host.js';

const config = { vram_threshold_gb: 12, vram_safety_margin_gb: 1, vram_min_free_gb: 2 };
const free = (vramFreeGb: number | null) => ({ vramFreeGb });

function gpu(vramTotalGb: number | null): GpuInfo {
  return {
    index: 0,
    name: 'GPU',
    vramTotalGb,
    vramUsedGb: null,
    vramFreeGb: null,
    utilizationPercent: null,
    driverVersion: null,
    source: 'test',
  };
}

describe('admissionFor', () => {
  it('advertises the configured threshold when free VRAM cannot be measured', () => {
    expect(admissionFor(config, free(null))).toEqual({ kind: 'unmeasured', thresholdGb: 12 });
  });

  it('advertises the free VRAM less the margin when that is below the configured threshold', () => {
    expect(admissionFor(config, free(6))).toEqual({ kind: 'open', thresholdGb: 5, freeGb: 6 });
  });

  it('rounds the advertised threshold down to 0.1 GB, never above what is free', () => {
    expect(admissionFor(config, free(8.37)).thresholdGb).toBe(7.3);
    expect(admissionFor(config, free(8.3)).thresholdGb).toBe(7.3);
  });

  it('keeps the configured threshold when plenty is free', () => {
    expect(admissionFor(config, free(23.5))).toEqual({
      kind: 'open',
      thresholdGb: 12,
      freeGb: 23.5,
    });
  });

  it('holds claiming with a visible reason when free less margin is below the minimum', () => {
    expect(admissionFor(config, free(1.2))).toEqual({
      kind: 'held',
      thresholdGb: 0.2,
      freeGb: 1.2,
      reason: 'GPU busy: 1.2 GB free, claiming resumes at 3 GB',
    });
    expect(admissionFor(config, free(0.4))).toMatchObject({ kind: 'held', thresholdGb: 0 });
  });

  it('admits again exactly at the minimum', () => {
    expect(admissionFor(config, free(3))).toEqual({ kind: 'open', thresholdGb: 2, freeGb: 3 });
  });

  it('follows the configured margin and minimum', () => {
    const strict = { vram_threshold_gb: 12, vram_safety_margin_gb: 0, vram_min_free_gb: 0 };
    expect(admissionFor(strict, free(0.5))).toEqual({
      kind: 'open',
      thresholdGb: 0.5,
      freeGb: 0.5,
    });
  });
});

describe('claimedJobFit', () => {
  it('fits when the estimate is within free VRAM less the margin', () => {
    expect(claimedJobFit(4, config, free(5))).toEqual({ kind: 'fits' });
  });

  it('refuses a job larger than free VRAM less the margin, saying how much is free', () => {
    expect(claimedJobFit(8, config, free(5))).toEqual({
      kind: 'too-large',
      reason: 'it needs 8 GB of VRAM but only 5 GB is free (1 GB kept as margin)',
    });
  });

  it('fits when free VRAM cannot be measured (the studio applied the threshold)', () => {
    expect(claimedJobFit(40, config, free(null))).toEqual({ kind: 'fits' });
  });
});

describe('first launch', () => {
  const host = (...totals: (number | null)[]) => ({
    gpus: totals.map(gpu),
    vramTotalGb: totals.reduce<number>((sum, t) => sum + (t ?? 0), 0),
  });

  it('knows the machine VRAM only when every GPU reported its size', () => {
    expect(detectedVramGb(host(24, 24))).toBe(48);
    expect(detectedVramGb(host(null, 1))).toBeNull(); // a Windows card behind the 4 GB cap
    expect(detectedVramGb(host())).toBeNull();
    expect(detectedVramGb(host(0))).toBeNull();
  });

  it('clamps the threshold to the detected VRAM when there is no worker_id yet', () => {
    expect(firstLaunchThreshold({ worker_id: null, vram_threshold_gb: 12 }, host(8))).toEqual({
      kind: 'clamp',
      fromGb: 12,
      toGb: 8,
    });
  });

  it('keeps a threshold that fits, a registered worker’s choice, and an undetected machine’s', () => {
    expect(firstLaunchThreshold({ worker_id: null, vram_threshold_gb: 12 }, host(24))).toEqual({
      kind: 'keep',
    });
    expect(firstLaunchThreshold({ worker_id: 'w-1', vram_threshold_gb: 12 }, host(8))).toEqual({
      kind: 'keep',
    });
    expect(firstLaunchThreshold({ worker_id: null, vram_threshold_gb: 12 }, host())).toEqual({
      kind: 'keep',
    });
    expect(firstLaunchThreshold({ worker_id: null, vram_threshold_gb: 12 }, host(null))).toEqual({
      kind: 'keep',
    });
  });
});

describe('watchHost', () => {
  function watched(opts: Parameters<typeof fakeHost>[0] = {}) {
    const raw = fakeHost(opts);
    const observers = new WorkerObservers(
      { agentVersion: '1', apiBaseUrl: 'http://x', configPath: '/c', engine: 'synthetic' },
      () => '2026-01-01',
    );
    const logs: LogEntry[] = [];
    const holds: (string | null)[] = [];
    const cfg = { ...defaultConfig(), ...config };
    const probe = watchHost(raw, {
      config: () => cfg,
      observers,
      log: createLogger({
        sinks: [(e) => logs.push(e)],
        secrets: () => [],
        clock: { now: () => 0 },
      }),
      hold: (source, reason) => {
        expect(source).toBe('admission');
        holds.push(reason);
      },
    });
    return { raw, probe, observers, logs, holds };
  }

  it('puts the GPUs, total VRAM and advertised threshold in the snapshot', async () => {
    const { probe, observers } = watched({ totalGb: 24, freeGb: 6 });
    const host: HostInfo = await probe.probe();
    expect(host.vramFreeGb).toBe(6);
    expect(observers.snapshot()).toMatchObject({
      vramTotalGb: 24,
      vramThresholdGb: 5,
      gpus: [{ name: 'Fake GPU', vramFreeGb: 6 }],
    });
  });

  it('logs the GPUs once, not on every probe', async () => {
    const { probe, raw, logs } = watched();
    await probe.probe();
    raw.freeGb = 20;
    await probe.probe();
    expect(logs.filter((l) => l.category === 'host').map((l) => l.message)).toEqual([
      'GPU: Fake GPU (24 GB VRAM) via fake',
    ]);
  });

  it('holds while the GPU is busy, rewords only on a real change, and releases', async () => {
    const { probe, raw, holds } = watched({ freeGb: 1.2 });
    await probe.probe();
    raw.freeGb = 1.3;
    await probe.probe();
    raw.freeGb = 0.5;
    await probe.probe();
    raw.freeGb = 10;
    await probe.probe();
    await probe.probe();
    expect(holds).toEqual([
      'GPU busy: 1.2 GB free, claiming resumes at 3 GB',
      'GPU busy: 0.5 GB free, claiming resumes at 3 GB',
      null,
    ]);
  });

  it('leaves the hold alone while the worker’s own job uses the GPU', async () => {
    const { probe, raw, holds, observers } = watched({ freeGb: 20 });
    observers.jobStarted({
      id: 'j',
      kind: 'image',
      model: 'm',
      promptPreview: '',
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    raw.freeGb = 0.5;
    await probe.probe();
    expect(holds).toEqual([]);
    expect(observers.snapshot().vramThresholdGb).toBe(0);
  });
});
