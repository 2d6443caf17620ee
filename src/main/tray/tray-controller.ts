// Keeps the tray in step with the worker: icon, tooltip and menu recomputed from each snapshot
// (a few times a second at most), each handed to the tray only when it changed. While a job
// runs the tooltip's clock ticks every second.
import type { Clock } from '../../core/runtime/clock.js';
import { systemClock } from '../../core/runtime/clock.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { TrayPort } from '../ports.js';
import { createCoalescer, SNAPSHOT_INTERVAL_MS } from '../../core/runtime/coalescer.js';
import type { TrayIconName } from './icon.js';
import { trayIconFor } from './icon.js';
import type { TrayAction } from './menu.js';
import { trayMenuFor } from './menu.js';
import { trayTooltipFor } from './tooltip.js';

const TOOLTIP_TICK_MS = 1_000;

export interface TrayControllerDeps {
  tray: TrayPort;
  worker: Pick<Worker, 'observers'>;
  iconPath: (name: TrayIconName) => string;
  onAction: (action: TrayAction) => void;
  quitAfterJobPending: () => boolean;
  now?: () => number;
  /** The coalescer's timer and the tooltip's ticks while a job runs (tests pass a manual clock). */
  clock?: Clock;
}

export interface TrayController {
  /** Recomputes now (e.g. after the quit phase changed). Does nothing once disposed. */
  refresh(): void;
  dispose(): void;
}

export function createTrayController(deps: TrayControllerDeps): TrayController {
  const now = deps.now ?? (() => Date.now());
  let shown: { icon?: TrayIconName; tooltip?: string; menu?: string } = {};
  const clock = deps.clock ?? systemClock;
  let cancelTick: (() => void) | undefined;
  let disposed = false;
  const tick = () => {
    cancelTick = undefined;
    refresh();
  };

  const refresh = () => {
    // The tray may be destroyed right after (quitting): Electron throws on a destroyed tray.
    if (disposed) return;
    const s = deps.worker.observers.snapshot();
    const icon = trayIconFor(s);
    if (icon !== shown.icon) deps.tray.setImage(deps.iconPath(icon));
    const tooltip = trayTooltipFor(s, now());
    if (tooltip !== shown.tooltip) deps.tray.setToolTip(tooltip);
    const menu = trayMenuFor(s, s.vramTotalGb, { quitAfterJobPending: deps.quitAfterJobPending() });
    const menuKey = JSON.stringify(menu);
    if (menuKey !== shown.menu) deps.tray.setMenu(menu, deps.onAction);
    shown = { icon, tooltip, menu: menuKey };
    // One tick at a time, re-armed by the refresh it runs while the job lasts.
    if (s.currentJob && !cancelTick) cancelTick = clock.setTimer(tick, TOOLTIP_TICK_MS);
    if (!s.currentJob && cancelTick) {
      cancelTick();
      cancelTick = undefined;
    }
  };

  const coalescer = createCoalescer<null>({
    intervalMs: SNAPSHOT_INTERVAL_MS,
    send: refresh,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const unsubscribe = deps.worker.observers.subscribe(() => coalescer.push(null));
  refresh();

  return {
    refresh,
    dispose() {
      disposed = true;
      unsubscribe();
      coalescer.dispose();
      cancelTick?.();
      cancelTick = undefined;
    },
  };
}
