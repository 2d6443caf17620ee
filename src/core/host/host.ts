// The HostProbe port: what the worker knows about the machine it runs on. The GPU probes
// (nvidia-smi, sysfs, …) plug in here; until they do, VRAM is reported as unknown (0).
import os from 'node:os';

export interface HostInfo {
  machineName: string;
  username: string;
  /** Summed over GPUs, in GiB; 0 when unknown. */
  vramTotalGb: number;
}

export interface HostProbe {
  probe(): Promise<HostInfo>;
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

/** Machine name and user from the OS; no GPU detection. */
export function createOsHostProbe(vramTotalGb = 0): HostProbe {
  return {
    probe: async () => ({ machineName: machineName(), username: osUsername(), vramTotalGb }),
  };
}
