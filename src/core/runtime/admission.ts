// Admission: the VRAM threshold that tells the truth. The studio hands out a job only when its
// estimate is within the advertised vramThresholdGb, so the worker advertises what it can take
// now — the configured threshold, lowered to the free VRAM less a safety margin — stops
// claiming while the GPU is too busy for any job, refuses a claimed job that no longer fits,
// and on first launch brings a threshold above the machine's VRAM down to it. The decisions
// are pure functions; watchHost and clampThresholdOnFirstLaunch wire them to the worker.
import type { ConfigStore } from '../config/store.js';
import type { WorkerConfig } from '../config/types.js';
import { describeGpus } from '../host/describe.js';
import type { Engine } from '../engine/engine.js';
import type { HostInfo, HostProbe } from '../host/host.js';
import { heldByProcesses } from '../host/nvidia-compute-apps.js';
import type { Logger } from './log.js';
import type { WorkerObservers } from './observers.js';
import { errorMessage } from '../errors/message.js';

export type AdmissionConfig = Pick<
  WorkerConfig,
  'vram_threshold_gb' | 'vram_safety_margin_gb' | 'vram_min_free_gb'
>;

export type Admission =
  /** Free VRAM cannot be measured: the configured threshold stands. */
  | { kind: 'unmeasured'; thresholdGb: number }
  | { kind: 'open'; thresholdGb: number; freeGb: number }
  /** Too little free VRAM for any job: claiming stops for `reason`. */
  | { kind: 'held'; thresholdGb: number; freeGb: number; reason: string };

/** Down to 0.1 GB: a threshold that is never above what is really free. */
function floorTenth(gb: number): number {
  return Math.floor(gb * 10 + 1e-9) / 10;
}

/** Rounded down too, so a free amount never reads as enough when it is not. */
const gb = (value: number) => `${floorTenth(value)} GB`;

/**
 * Free VRAM as the engine's next job sees it: what the driver calls free plus what the engine
 * itself keeps between jobs (its resident model), never more than the card has. Without this,
 * a ComfyUI or llama.cpp model kept after a job would shrink the threshold below that job.
 */
export function freeForEngineGb(
  host: Pick<HostInfo, 'vramFreeGb' | 'vramTotalGb' | 'engineHeldGb'>,
): number | null {
  if (host.vramFreeGb === null) return null;
  const held = host.engineHeldGb ?? 0;
  const free = host.vramFreeGb + (Number.isFinite(held) && held > 0 ? held : 0);
  return host.vramTotalGb > 0 ? Math.min(free, host.vramTotalGb) : free;
}

/** ` (2 GB of it held by the engine's own model)`, when the engine holds some. */
function heldNote(host: Pick<HostInfo, 'engineHeldGb'>): string {
  const held = host.engineHeldGb ?? 0;
  return held > 0 ? ` (${gb(held)} of it held by the engine's own model)` : '';
}

/**
 * GiB the engine holds for its jobs: the larger of what it says it holds and what nvidia-smi
 * lists for its processes (both measure the same memory; each may be missing). Never throws.
 */
export async function engineHeldGb(
  engine: Pick<Engine, 'heldVram'>,
  host: Pick<HostProbe, 'computeApps'>,
  model?: string,
): Promise<number> {
  if (!engine.heldVram) return 0;
  try {
    const held = await engine.heldVram(model);
    const apps = held.pids.length > 0 && host.computeApps ? await host.computeApps() : [];
    const gbHeld = Math.max(held.gb, heldByProcesses(apps, held.pids));
    return Number.isFinite(gbHeld) && gbHeld > 0 ? gbHeld : 0;
  } catch {
    return 0;
  }
}

export function admissionFor(
  config: AdmissionConfig,
  host: Pick<HostInfo, 'vramFreeGb' | 'vramTotalGb' | 'engineHeldGb'>,
): Admission {
  const freeGb = freeForEngineGb(host);
  if (freeGb === null) return { kind: 'unmeasured', thresholdGb: config.vram_threshold_gb };
  const usableGb = freeGb - config.vram_safety_margin_gb;
  const thresholdGb = Math.max(0, Math.min(config.vram_threshold_gb, floorTenth(usableGb)));
  if (usableGb < config.vram_min_free_gb) {
    const resumeGb = config.vram_min_free_gb + config.vram_safety_margin_gb;
    const reason = `GPU busy: ${gb(freeGb)} free${heldNote(host)}, claiming resumes at ${gb(resumeGb)}`;
    return { kind: 'held', thresholdGb, freeGb, reason };
  }
  return { kind: 'open', thresholdGb, freeGb };
}

export type JobFit = { kind: 'fits' } | { kind: 'too-large'; reason: string };

/** Whether a claimed job still fits: its estimate within the free VRAM less the margin. */
export function claimedJobFit(
  estimateGb: number,
  config: Pick<WorkerConfig, 'vram_safety_margin_gb'>,
  host: Pick<HostInfo, 'vramFreeGb' | 'vramTotalGb' | 'engineHeldGb'>,
): JobFit {
  const freeGb = freeForEngineGb(host);
  if (freeGb === null || estimateGb <= freeGb - config.vram_safety_margin_gb)
    return { kind: 'fits' };
  return {
    kind: 'too-large',
    reason: `it needs ${estimateGb} GB of VRAM but only ${gb(freeGb)} is free${heldNote(host)} (${config.vram_safety_margin_gb} GB kept as margin)`,
  };
}

/**
 * The VRAM a threshold can never usefully exceed: the detected total, when detection found
 * every GPU's size. Null when no GPU was found or some size is unknown (a Windows card behind
 * the 4 GB AdapterRAM cap), since a partial sum would understate the machine.
 */
export function detectedVramGb(host: Pick<HostInfo, 'gpus' | 'vramTotalGb'>): number | null {
  if (host.gpus.length === 0 || host.gpus.some((gpu) => gpu.vramTotalGb === null)) return null;
  return host.vramTotalGb > 0 ? host.vramTotalGb : null;
}

export type FirstLaunchThreshold =
  { kind: 'keep' } | { kind: 'clamp'; fromGb: number; toGb: number };

/**
 * On first launch (no worker_id yet), a threshold above the detected VRAM comes down to it:
 * the default of 12 GB would otherwise promise an 8 GB card's worth of jobs it cannot run.
 * Later launches keep whatever the user set.
 */
export function firstLaunchThreshold(
  config: Pick<WorkerConfig, 'worker_id' | 'vram_threshold_gb'>,
  host: Pick<HostInfo, 'gpus' | 'vramTotalGb'>,
): FirstLaunchThreshold {
  const detected = detectedVramGb(host);
  if (config.worker_id !== null || detected === null || config.vram_threshold_gb <= detected)
    return { kind: 'keep' };
  return { kind: 'clamp', fromGb: config.vram_threshold_gb, toGb: detected };
}

/** Applies firstLaunchThreshold to the config file and says so in the log; returns what it did. */
export async function clampThresholdOnFirstLaunch(deps: {
  configStore: ConfigStore;
  host: HostProbe;
  log: Logger;
}): Promise<FirstLaunchThreshold> {
  const keep = { kind: 'keep' } as const;
  if (deps.configStore.current().worker_id !== null) return keep;
  const host = await deps.host.probe();
  const decision = firstLaunchThreshold(deps.configStore.current(), host);
  if (decision.kind === 'keep') return keep;
  try {
    // Decided again on the file as it is now, in case it changed meanwhile.
    await deps.configStore.update((c) => {
      const now = firstLaunchThreshold(c, host);
      return now.kind === 'clamp' ? { ...c, vram_threshold_gb: now.toGb } : c;
    });
  } catch (error) {
    deps.log.warn(
      'admission',
      `could not lower vram_threshold_gb to the detected ${decision.toGb} GB: ${errorMessage(error)}`,
    );
    return keep;
  }
  deps.log.info(
    'admission',
    `first launch: vram_threshold_gb lowered from ${decision.fromGb} to ${decision.toGb} GB, the VRAM detected on this machine (${describeGpus(host)})`,
  );
  return decision;
}

/** How far free VRAM must move before a held worker's reason is reworded (and logged again). */
const REWORD_HOLD_GB = 0.5;

/**
 * The host probe, watched: every answer updates the snapshot (GPUs, total VRAM, the advertised
 * threshold), logs a change of GPUs, and holds or releases claiming under the source
 * 'admission'. While the worker's own job runs the hold is left as it is: the job's VRAM use
 * says nothing about whether the GPU is free for the next one.
 */
export function watchHost(
  probe: HostProbe,
  deps: {
    config: () => AdmissionConfig;
    observers: WorkerObservers;
    log: Logger;
    hold: (source: string, reason: string | null) => void;
    /** The configured engine, whose resident model counts as free for its jobs. */
    engine?: Pick<Engine, 'heldVram'>;
  },
): HostProbe {
  let lastGpus: string | null = null;
  let heldAtGb: number | null = null;
  const apply = (host: HostInfo) => {
    const admission = admissionFor(deps.config(), host);
    deps.observers.set({
      gpus: host.gpus,
      vramTotalGb: host.vramTotalGb,
      vramThresholdGb: admission.thresholdGb,
    });
    const gpus = describeGpus(host);
    if (gpus !== lastGpus) deps.log.info('host', gpus);
    lastGpus = gpus;
    if (deps.observers.currentJob) return;
    if (admission.kind === 'held') {
      if (heldAtGb === null || Math.abs(heldAtGb - admission.freeGb) >= REWORD_HOLD_GB) {
        heldAtGb = admission.freeGb;
        deps.hold('admission', admission.reason);
      }
    } else if (heldAtGb !== null) {
      heldAtGb = null;
      deps.hold('admission', null);
    }
  };
  return {
    probe: async () => {
      const measured = await probe.probe();
      const held = deps.engine ? await engineHeldGb(deps.engine, probe) : 0;
      const host = held > 0 ? { ...measured, engineHeldGb: held } : measured;
      apply(host);
      return host;
    },
    ...(probe.computeApps
      ? { computeApps: () => probe.computeApps?.() ?? Promise.resolve([]) }
      : {}),
  };
}
