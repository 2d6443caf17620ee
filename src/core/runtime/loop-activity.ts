// What each background loop is doing, with timestamps: in a tick since when, or waiting since
// when and for how long. The health endpoint judges from these whether a loop is wedged (a tick
// that never returns, a wait that never ends), and the metrics count the ticks' outcomes.
import type { Clock } from './clock.js';

export type LoopPhase =
  { kind: 'ticking'; since: number } | { kind: 'waiting'; since: number; delayMs: number };

/** Hears every tick's outcome (`undefined` when the tick threw). Must not throw. */
export type TickListener = (loop: string, outcome: unknown) => void;

export class LoopActivity {
  private readonly phases = new Map<string, LoopPhase>();
  private readonly listeners = new Set<TickListener>();

  constructor(private readonly clock: Clock) {}

  tickStarted(loop: string): void {
    this.phases.set(loop, { kind: 'ticking', since: this.clock.now() });
  }

  tickEnded(loop: string, outcome: unknown, delayMs: number): void {
    this.phases.set(loop, { kind: 'waiting', since: this.clock.now(), delayMs });
    for (const listener of [...this.listeners]) {
      try {
        listener(loop, outcome);
      } catch {
        // Counting must never break a loop.
      }
    }
  }

  /** The loop has ended (stopped): it is neither alive nor wedged any more. */
  loopEnded(loop: string): void {
    this.phases.delete(loop);
  }

  current(): ReadonlyMap<string, LoopPhase> {
    return this.phases;
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface WedgeLimits {
  /** The longest a tick of this loop may run (the claim tick runs a whole job). */
  tickMs(loop: string): number;
  /** How late a wait may end before the loop counts as wedged (timers starved, a lost wake). */
  lateMs: number;
}

export interface WedgedLoop {
  loop: string;
  phase: LoopPhase['kind'];
  /** How far past its limit the loop is. */
  overdueMs: number;
}

/** The loops that have been in one phase longer than the limits allow; empty = all alive. */
export function wedgedLoops(
  phases: ReadonlyMap<string, LoopPhase>,
  now: number,
  limits: WedgeLimits,
): WedgedLoop[] {
  const wedged: WedgedLoop[] = [];
  for (const [loop, phase] of phases) {
    const limit = phase.kind === 'ticking' ? limits.tickMs(loop) : phase.delayMs + limits.lateMs;
    const overdueMs = now - phase.since - limit;
    if (overdueMs > 0) wedged.push({ loop, phase: phase.kind, overdueMs });
  }
  return wedged;
}
