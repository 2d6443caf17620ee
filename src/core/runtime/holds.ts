// Holds: named reasons not to claim new jobs ('suspend', 'presence', 'spool', 'snooze', …), and
// the snooze, which is a hold that ends itself. A running job is never stopped by a hold. The
// first held reason is what the status shows; the tick flags and the snapshot both read it
// through `pausedReason()`, so they cannot disagree.
import type { Clock } from './clock.js';
import type { Disposable } from './disposables.js';
import type { Logger } from './log.js';
import type { WorkerObservers } from './observers.js';

export const SNOOZE_HOLD = 'snooze';

export interface HoldsDeps {
  observers: WorkerObservers;
  log: Logger;
  clock: Pick<Clock, 'now' | 'setTimer'>;
  /** Runs the next claim and heartbeat at once (a hold changed what they say). */
  wake: () => void;
}

export interface Holds extends Disposable {
  /** The held reasons by source, in the order they were first held (the claim tick reads it). */
  readonly reasons: ReadonlyMap<string, string>;
  /** The first held reason, or null when claiming is not held. */
  pausedReason(): string | null;
  /**
   * Holds claiming for `source` with `reason`, or releases that source's hold with null. With
   * `forMs` the hold releases itself after that long (a later hold of the source replaces it).
   */
  hold(source: string, reason: string | null, forMs?: number): void;
  /** Pauses claiming for `minutes`; 0 or less ends a snooze. */
  snooze(minutes: number): void;
  /** Cancels the snooze's timer (the worker stops); the hold itself stays as it is. */
  dispose(): void;
}

export function createHolds(deps: HoldsDeps): Holds {
  const { observers, log } = deps;
  const reasons = new Map<string, string>();
  const pausedReason = () => reasons.values().next().value ?? null;

  // Holds that end by themselves after a while (a GPU-busy pause): the newest one per source.
  const expiries = new Map<string, () => void>();
  const hold = (source: string, reason: string | null, forMs?: number) => {
    expiries.get(source)?.();
    expiries.delete(source);
    if (reason !== null && forMs !== undefined) {
      expiries.set(
        source,
        deps.clock.setTimer(() => {
          expiries.delete(source);
          hold(source, null);
        }, forMs),
      );
    }
    if ((reasons.get(source) ?? null) === reason) return;
    if (reason === null) reasons.delete(source);
    else reasons.set(source, reason);
    observers.set({ pausedReason: pausedReason() });
    log.info(
      'runtime',
      reason === null ? `${source}: claiming allowed again` : `paused: ${reason}`,
    );
    deps.wake();
  };

  let cancelSnooze: (() => void) | undefined;
  const endSnooze = () => {
    cancelSnooze?.();
    cancelSnooze = undefined;
    observers.set({ snoozedUntil: null });
    hold(SNOOZE_HOLD, null);
  };

  return {
    reasons,
    pausedReason,
    hold,
    snooze(minutes) {
      if (minutes <= 0) return endSnooze();
      const until = deps.clock.now() + minutes * 60_000;
      cancelSnooze?.();
      cancelSnooze = deps.clock.setTimer(endSnooze, minutes * 60_000);
      observers.set({ snoozedUntil: new Date(until).toISOString() });
      hold(SNOOZE_HOLD, `snoozed until ${new Date(until).toTimeString().slice(0, 5)}`);
    },
    dispose() {
      cancelSnooze?.();
      for (const cancel of expiries.values()) cancel();
      expiries.clear();
    },
  };
}
