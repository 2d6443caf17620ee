// Sleep and wake: no new job is claimed while the machine goes to sleep, and on wake the worker
// heartbeats at once so the studio sees it back without waiting for the next interval.
import type { PresenceSource } from '../../core/presence/source.js';
import { createOsPresenceSource } from '../../core/presence/source.js';
import type { Disposable } from '../../core/runtime/disposables.js';
import { toDisposable } from '../../core/runtime/disposables.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { PowerMonitorPort } from '../ports.js';

export const SUSPEND_HOLD = 'suspend';

/** Follows sleep and wake until the returned disposable is disposed. */
export function followPower(
  power: PowerMonitorPort,
  worker: Pick<Worker, 'hold' | 'wake'>,
): Disposable {
  const offSuspend = power.onSuspend(() => worker.hold(SUSPEND_HOLD, 'system is going to sleep'));
  const offResume = power.onResume(() => {
    worker.hold(SUSPEND_HOLD, null);
    worker.wake();
  });
  return toDisposable(() => {
    offSuspend();
    offResume();
  });
}

/** Presence for the desktop: idle time and power source from powerMonitor, programs from the OS. */
export function desktopPresence(power: PowerMonitorPort): PresenceSource {
  const os = createOsPresenceSource();
  return {
    idleSeconds: async () => power.idleSeconds(),
    onBattery: async () => power.onBattery(),
    processes: () => os.processes(),
  };
}
