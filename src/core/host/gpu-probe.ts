// Which GPU probes run, in which order, on which platform — and the real HostProbe built on
// them. The first probe that finds a GPU answers; each one before it says why it found none
// (for `status` and the log). Results are cached briefly and shared by concurrent callers, so a
// heartbeat, a claim and the status file cost at most one probe between them.
import os from 'node:os';
import type { GpuInfo } from '../../shared/snapshot.js';
import { DRM_ROOT, readAmdSysfs } from './amd-sysfs.js';
import { sharedAndCached } from './cache.js';
import type { CommandRunner } from './command.js';
import { createCommandRunner } from './command.js';
import type { FileReader } from './files.js';
import { nodeFileReader } from './files.js';
import type { HostInfo, HostProbe } from './host.js';
import { machineName, osUsername } from './host.js';
import { SYSTEM_PROFILER_ARGS, parseSystemProfiler } from './macos.js';
import { NVIDIA_PROC_GPUS, readNvidiaProc } from './nvidia-proc.js';
import { COMPUTE_APPS_ARGS, parseComputeApps } from './nvidia-compute-apps.js';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiCsv } from './nvidia-smi.js';
import { sumVram } from './readings.js';
import { ROCM_SMI_ARGS, parseRocmSmi } from './rocm-smi.js';
import {
  POWERSHELL_ARGS,
  WMIC_ARGS,
  parseVideoControllers,
  videoControllerGpus,
} from './windows.js';
import { errorMessage } from '../errors/message.js';

/** What the probes may use: the two ports and two facts about the machine. */
export interface ProbeIo {
  run: CommandRunner;
  files: FileReader;
  /** The machine's RAM in GiB: what a unified-memory GPU may use. */
  ramGb: number;
  /** The limit for each tool run. */
  timeoutMs: number;
}

export type StepResult =
  { kind: 'found'; gpus: GpuInfo[]; notes: string[] } | { kind: 'none'; why: string };

export interface ProbeStep {
  name: string;
  probe(io: ProbeIo): Promise<StepResult>;
}

export interface GpuDetection {
  gpus: GpuInfo[];
  /** The probe that found them, or null. */
  source: string | null;
  /** Why each earlier probe found nothing, and what the answering one could not tell. */
  notes: string[];
}

function found(gpus: GpuInfo[], why: string, notes: string[] = []): StepResult {
  return gpus.length > 0 ? { kind: 'found', gpus, notes } : { kind: 'none', why };
}

/** The start of what a tool printed, for a note about output we could not read. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat === ''
    ? 'nothing'
    : JSON.stringify(flat.length > 60 ? `${flat.slice(0, 57)}...` : flat);
}

/** A probe that runs `file args` and reads its output with `parse`. */
function toolStep(
  name: string,
  file: string,
  args: readonly string[],
  parse: (stdout: string, io: ProbeIo) => { gpus: GpuInfo[]; notes?: string[] },
): ProbeStep {
  return {
    name,
    async probe(io) {
      const result = await io.run(file, args, io.timeoutMs);
      switch (result.kind) {
        case 'missing':
          return { kind: 'none', why: `${file} is not on PATH` };
        case 'timeout':
          return {
            kind: 'none',
            why: `${file} gave no answer within ${result.timeoutMs / 1000} s`,
          };
        case 'failed':
          return { kind: 'none', why: `${file} ${result.message}` };
        case 'ok': {
          const { gpus, notes } = parse(result.stdout, io);
          return found(
            gpus,
            `${file} printed no GPU we could read (${excerpt(result.stdout)})`,
            notes,
          );
        }
      }
    },
  };
}

export const nvidiaSmiStep = toolStep('nvidia-smi', 'nvidia-smi', NVIDIA_SMI_ARGS, (out) => ({
  gpus: parseNvidiaSmiCsv(out),
}));

export const nvidiaProcStep: ProbeStep = {
  name: 'nvidia-proc',
  probe: async (io) => found(await readNvidiaProc(io.files), `no GPU under ${NVIDIA_PROC_GPUS}`),
};

export const amdSysfsStep: ProbeStep = {
  name: 'amd-sysfs',
  probe: async (io) =>
    found(await readAmdSysfs(io.files), `no card with mem_info_vram_total under ${DRM_ROOT}`),
};

export const rocmSmiStep = toolStep('rocm-smi', 'rocm-smi', ROCM_SMI_ARGS, (out) => ({
  gpus: parseRocmSmi(out),
}));

export const systemProfilerStep = toolStep(
  'macos',
  'system_profiler',
  SYSTEM_PROFILER_ARGS,
  (out, io) => ({ gpus: parseSystemProfiler(out, io.ramGb) }),
);

const controllers = (out: string) => videoControllerGpus(parseVideoControllers(out));
export const powershellStep = toolStep('windows', 'powershell', POWERSHELL_ARGS, controllers);
export const wmicStep = toolStep('windows', 'wmic', WMIC_ARGS, controllers);

/** The probes for a platform, best first: nvidia-smi wherever it exists, then the platform's own. */
export function stepsFor(platform: NodeJS.Platform): ProbeStep[] {
  switch (platform) {
    case 'linux':
      return [nvidiaSmiStep, nvidiaProcStep, amdSysfsStep, rocmSmiStep];
    case 'darwin':
      return [systemProfilerStep];
    case 'win32':
      return [nvidiaSmiStep, powershellStep, wmicStep];
    default:
      return [nvidiaSmiStep];
  }
}

/** Runs the probes in order until one finds a GPU. Never throws. */
export async function detectGpus(steps: readonly ProbeStep[], io: ProbeIo): Promise<GpuDetection> {
  const notes: string[] = [];
  for (const step of steps) {
    let result: StepResult;
    try {
      result = await step.probe(io);
    } catch (error) {
      result = { kind: 'none', why: `${step.name} failed: ${errorMessage(error)}` };
    }
    if (result.kind === 'found')
      return { gpus: result.gpus, source: step.name, notes: [...notes, ...result.notes] };
    notes.push(result.why);
  }
  return { gpus: [], source: null, notes };
}

export interface HostProbeOptions {
  run?: CommandRunner;
  files?: FileReader;
  platform?: NodeJS.Platform;
  /** Default: os.totalmem(). */
  ramBytes?: number;
  /** Limit for each tool run. Default 4 s. */
  timeoutMs?: number;
  /**
   * How long a probe's answer is reused. Default: 4 s (below the heartbeat interval) after an
   * answer that differs from the one before, STEADY_PROBE_TTL_MS after one that repeats it.
   */
  ttlMs?: number;
  now?: () => number;
}

export const PROBE_TIMEOUT_MS = 4_000;
export const PROBE_TTL_MS = 4_000;
/**
 * An idle machine answers the same every time: spawning nvidia-smi on every heartbeat is then
 * most of what wakes the worker. A repeated answer is kept this long; any change (free VRAM,
 * a GPU appearing) brings the next probe back to PROBE_TTL_MS.
 */
export const STEADY_PROBE_TTL_MS = 30_000;

/** PROBE_TTL_MS after a change, STEADY_PROBE_TTL_MS while the answer repeats. */
export function probeTtlFor(value: HostInfo, previous: HostInfo | undefined): number {
  return previous !== undefined && JSON.stringify(value) === JSON.stringify(previous)
    ? STEADY_PROBE_TTL_MS
    : PROBE_TTL_MS;
}
/** A tool found missing is not looked for again for this long (drivers are rarely installed). */
export const MISSING_TOOL_TTL_MS = 10 * 60_000;

/** Wraps a runner so a tool that is not on PATH is not spawned again on every heartbeat. */
export function rememberMissing(
  run: ProbeIo['run'],
  ttlMs: number,
  now: () => number,
): ProbeIo['run'] {
  const missingUntil = new Map<string, number>();
  return async (file, args, timeoutMs) => {
    const until = missingUntil.get(file);
    if (until !== undefined && now() < until) return { kind: 'missing' };
    const result = await run(file, args, timeoutMs);
    if (result.kind === 'missing') missingUntil.set(file, now() + ttlMs);
    else missingUntil.delete(file);
    return result;
  };
}

/** The host as the worker reports it, from a detection. */
export function hostInfoOf(detection: GpuDetection): HostInfo {
  return {
    machineName: machineName(),
    username: osUsername(),
    ...sumVram(detection.gpus),
    gpus: detection.gpus,
    gpuNotes: detection.notes,
  };
}

/** The real HostProbe: machine name and user from the OS, GPUs from the driver tools. */
export function createHostProbe(opts: HostProbeOptions = {}): HostProbe {
  const io: ProbeIo = {
    run: rememberMissing(
      opts.run ?? createCommandRunner(),
      MISSING_TOOL_TTL_MS,
      opts.now ?? Date.now,
    ),
    files: opts.files ?? nodeFileReader,
    ramGb: (opts.ramBytes ?? os.totalmem()) / 1024 ** 3,
    timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS,
  };
  const steps = stepsFor(opts.platform ?? process.platform);
  return {
    probe: sharedAndCached(
      async () => hostInfoOf(await detectGpus(steps, io)),
      opts.ttlMs ?? probeTtlFor,
      opts.now ?? Date.now,
    ),
    computeApps: sharedAndCached(
      async () => {
        const result = await io.run('nvidia-smi', COMPUTE_APPS_ARGS, io.timeoutMs);
        return result.kind === 'ok' ? parseComputeApps(result.stdout) : [];
      },
      opts.ttlMs ?? PROBE_TTL_MS,
      opts.now ?? Date.now,
    ),
  };
}
