// A HostProbe whose one GPU has the free VRAM a test sets: admission driven without a GPU.
import type { GpuInfo } from '../../src/shared/snapshot.js';
import type { HostInfo, HostProbe } from '../../src/core/host/host.js';
import type { ComputeApp } from '../../src/core/host/nvidia-compute-apps.js';

export interface FakeHost extends HostProbe {
  /** Free VRAM the next probe reports (GiB); null: cannot be measured. */
  freeGb: number | null;
  /** Total VRAM (GiB); null: unknown. */
  totalGb: number | null;
  /** How many times it was probed. */
  probes: number;
  /** The processes on the GPU, as nvidia-smi --query-compute-apps would list them. */
  apps: ComputeApp[];
}

export function fakeHost(opts: { totalGb?: number | null; freeGb?: number | null } = {}): FakeHost {
  const host: FakeHost = {
    totalGb: opts.totalGb === undefined ? 24 : opts.totalGb,
    freeGb: opts.freeGb === undefined ? 24 : opts.freeGb,
    probes: 0,
    apps: [],
    computeApps: async () => [...host.apps],
    async probe(): Promise<HostInfo> {
      host.probes += 1;
      const gpu: GpuInfo = {
        index: 0,
        name: 'Fake GPU',
        vramTotalGb: host.totalGb,
        vramUsedGb:
          host.totalGb !== null && host.freeGb !== null ? host.totalGb - host.freeGb : null,
        vramFreeGb: host.freeGb,
        utilizationPercent: null,
        driverVersion: '1.0',
        source: 'fake',
      };
      return {
        machineName: 'test-box',
        username: 'tester',
        vramTotalGb: host.totalGb ?? 0,
        vramFreeGb: host.freeGb,
        gpus: [gpu],
        gpuNotes: [],
      };
    },
  };
  return host;
}
