// The HostProbe port: what the worker knows about the machine it runs on — its name, the user,
// and the GPUs as the driver tools measured them (gpu-probe.ts builds the real one).
import os from 'node:os';
import type { GpuInfo } from '../../shared/snapshot.js';
import type { ComputeApp } from './nvidia-compute-apps.js';

export interface HostInfo {
  machineName: string;
  username: string;
  /** Summed over the GPUs that report it, in GiB; 0 when unknown. */
  vramTotalGb: number;
  /** Free VRAM summed over the GPUs that report it, in GiB; null when it cannot be measured. */
  vramFreeGb: number | null;
  gpus: GpuInfo[];
  /** Why GPU probes found nothing, or what they could not tell (for status and the log). */
  gpuNotes: string[];
  /**
   * GiB of the used VRAM that the configured engine keeps between jobs (a resident model), so
   * free for its own next job. Set by the runtime's admission watch, never by a GPU probe.
   */
  engineHeldGb?: number;
}

export interface HostProbe {
  probe(): Promise<HostInfo>;
  /** The processes on the GPUs and their memory (nvidia-smi); [] when it cannot tell. */
  computeApps?(): Promise<ComputeApp[]>;
}

export function machineName(): string {
  return os.hostname() || 'unknown-host';
}

export function osUsername(): string {
  try {
    return os.userInfo().username || 'unknown-user';
  } catch {
    // userInfo throws for users without a passwd entry (some containers).
    return process.env.USER ?? process.env.USERNAME ?? 'unknown-user';
  }
}

/** Machine name and user from the OS and a fixed VRAM total; no GPU detection, free VRAM unknown. */
export function createOsHostProbe(vramTotalGb = 0): HostProbe {
  return {
    probe: async () => ({
      machineName: machineName(),
      username: osUsername(),
      vramTotalGb,
      vramFreeGb: null,
      gpus: [],
      gpuNotes: [],
    }),
  };
}
