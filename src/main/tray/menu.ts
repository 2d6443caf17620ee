// The tray's context menu as a pure function of the snapshot: a plain template of items whose
// actions are data (mostly the same WorkerCommands the window sends), so the menu can be compared,
// tested and rebuilt whenever the state changes. The adapter turns it into an Electron Menu.
import type { WorkerCommand } from '../../shared/bridge.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { headlineOf } from '../../shared/health.js';

export type TrayAction =
  { kind: 'command'; command: WorkerCommand } | { kind: 'open-window' } | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { type: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; submenu: TrayMenuItem[] }
  | { type: 'separator' };

export interface TrayMenuOptions {
  /** "Quit after current job" was chosen and the job is still running. */
  quitAfterJobPending?: boolean;
}

/** Threshold sizes (GB) the submenu offers, up to the detected VRAM. */
const THRESHOLD_STEPS = [2, 4, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 192, 256];
/** Offered when the GPU's memory is unknown: the sizes of common cards. */
const UNDETECTED_STEPS = [2, 4, 6, 8, 12, 16, 24, 32, 48];
/** Longest status line: menus on every platform cut long labels badly. */
const STATUS_MAX = 70;

export interface ThresholdChoices {
  /** Sizes to offer, ascending; the current threshold is always among them. */
  sizes: number[];
  /** The largest size when VRAM was detected (it is labelled so), else null. */
  detectedGb: number | null;
}

/** The sizes the VRAM threshold submenu offers for a GPU with `detectedVramGb` (0 = unknown). */
export function thresholdChoices(detectedVramGb: number, currentGb: number): ThresholdChoices {
  // GPUs report a little under their nominal size (a 12 GB card: 11.99 GiB): offer the nominal.
  const detected = detectedVramGb > 0 ? Math.max(1, Math.round(detectedVramGb)) : null;
  const base = detected === null ? UNDETECTED_STEPS : THRESHOLD_STEPS.filter((gb) => gb < detected);
  const sizes = new Set(detected === null ? base : [...base, detected]);
  sizes.add(currentGb);
  return { sizes: [...sizes].sort((a, b) => a - b), detectedGb: detected };
}

function thresholdSubmenu(s: WorkerSnapshot, detectedVramGb: number): TrayMenuItem {
  // The configured threshold; the snapshot's vramThresholdGb is what is advertised, which the
  // worker lowers to the free VRAM when it can measure it.
  const configured = s.settings.vramThresholdGb;
  const { sizes, detectedGb } = thresholdChoices(detectedVramGb, configured);
  const items: TrayMenuItem[] = [];
  if (detectedGb === null) {
    items.push({ type: 'normal', label: 'GPU memory not detected: common sizes', enabled: false });
  }
  for (const gb of sizes) {
    const note = gb === detectedGb ? ' (all of the GPU)' : '';
    items.push({
      type: 'radio',
      label: `${gb} GB${note}`,
      checked: gb === configured,
      action: command({ type: 'setThreshold', gb }),
    });
  }
  items.push({ type: 'separator' });
  items.push({ type: 'normal', label: 'Custom…', enabled: true, action: { kind: 'open-window' } });
  // The free VRAM measured now goes in the tooltip: a label that follows it would rebuild the
  // menu on every reading, which closes an open menu on Linux.
  return {
    type: 'submenu',
    label: `VRAM threshold: ${configured} GB`,
    submenu: items,
  };
}

function command(c: WorkerCommand): TrayAction {
  return { kind: 'command', command: c };
}

/**
 * "Working: image job (sdxl)": the one headline's summary, cut to fit a menu. States whose detail
 * carries changing numbers (free VRAM, failure counts, retry reasons) show their title only, the
 * detail being in the tooltip, so the menu is rebuilt only when the state changes.
 */
export function statusLine(s: WorkerSnapshot): string {
  const { state, summary } = headlineOf(s);
  const title = summary.split(': ')[0]!;
  const line =
    (state.kind === 'paused' && !state.byOwner) ||
    state.kind === 'failing' ||
    state.kind === 'studio-unreachable'
      ? title
      : state.kind === 'token-rejected'
        ? 'Token rejected: register again'
        : summary;
  return line.length > STATUS_MAX ? `${line.slice(0, STATUS_MAX - 1)}…` : line;
}

function updateItem(s: WorkerSnapshot): TrayMenuItem {
  switch (s.update.kind) {
    case 'ready':
      return {
        type: 'normal',
        label: `Restart to update (${s.update.version})`,
        enabled: !s.stopping,
        action: command({ type: 'installUpdate' }),
      };
    case 'downloading':
      return { type: 'normal', label: `Downloading ${s.update.version}…`, enabled: false };
    default:
      return {
        type: 'normal',
        label: 'Check for updates',
        enabled: !s.stopping,
        action: command({ type: 'checkForUpdates' }),
      };
  }
}

/** The whole tray menu for this state. `detectedVramGb` bounds the threshold choices. */
export function trayMenuFor(
  s: WorkerSnapshot,
  detectedVramGb: number,
  options: TrayMenuOptions = {},
): TrayMenuItem[] {
  const quitPending = options.quitAfterJobPending === true;
  return [
    { type: 'normal', label: statusLine(s), enabled: false },
    { type: 'separator' },
    { type: 'normal', label: 'Open Studio Worker', enabled: true, action: { kind: 'open-window' } },
    { type: 'separator' },
    {
      type: 'checkbox',
      label: 'Enabled',
      checked: s.enabled,
      action: command({ type: 'setEnabled', enabled: !s.enabled }),
    },
    thresholdSubmenu(s, detectedVramGb),
    s.snoozedUntil
      ? {
          type: 'normal',
          label: 'Resume now (end snooze)',
          enabled: true,
          action: command({ type: 'snooze', minutes: 0 }),
        }
      : {
          type: 'normal',
          label: 'Snooze for 1 hour',
          enabled: true,
          action: command({ type: 'snooze', minutes: 60 }),
        },
    { type: 'separator' },
    updateItem(s),
    {
      type: 'normal',
      label: 'Open logs folder',
      enabled: true,
      action: command({ type: 'openLogsFolder' }),
    },
    { type: 'separator' },
    quitPending
      ? { type: 'normal', label: 'Quitting after the current job…', enabled: false }
      : {
          type: 'normal',
          label: 'Quit after current job',
          enabled: !s.stopping,
          action: command({ type: 'quitAfterCurrentJob' }),
        },
    { type: 'normal', label: 'Quit', enabled: true, action: { kind: 'quit' } },
  ];
}
