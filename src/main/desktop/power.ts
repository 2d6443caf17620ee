// Sleep and wake: no new job is claimed while the machine goes to sleep, and on wake the worker
// heartbeats at once so the studio sees it back without waiting for the next interval.
import type { PresenceSource } from '../../core/presence/source.js';
import { createOsPresenceSource } from '../../core/presence/source.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { PowerMonitorPort } from '../ports.js';

export const SUSPEND_HOLD = 'suspend';

export function followPower(power: PowerMonitorPort, worker: Pick<Worker, 'hold' | 'wake'>): void {
  power.onSuspend(() => worker.hold(SUSPEND_HOLD, 'system is going to sleep'));
  power.onResume(() => {
    worker.hold(SUSPEND_HOLD, null);
    worker.wake();
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
