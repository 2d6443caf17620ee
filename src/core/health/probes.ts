// The answers of /healthz and /readyz as pure functions of the worker's state, so the rules are
// tested without a server: alive unless a loop is wedged (judged from its phase timestamps);
// ready when registered, the engine answers, and the worker is neither stopping, draining nor
// paused. Each answer says why, in words an operator reads in `kubectl describe pod`.
import type { WorkerConfig } from '../config/types.js';
import type { LoopPhase, WedgedLoop } from '../runtime/loop-activity.js';
import { wedgedLoops } from '../runtime/loop-activity.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';

export type ProbeAnswer = { ok: true; detail: string } | { ok: false; reasons: string[] };

/** A tick of a loop other than claim that runs this long is stuck (studio calls have deadlines). */
export const TICK_LIMIT_MS = 5 * 60_000;
/** A wait this much later than planned means the loop's timer never fired. */
export const WAIT_LATE_MS = 2 * 60_000;
/** The claim tick runs a job, then spools and uploads it: the job's limit, the grace, and this. */
export const CLAIM_UPLOAD_ALLOWANCE_MS = 10 * 60_000;

/** How long each loop's tick may run under this config. */
export function wedgeLimitsFor(config: WorkerConfig) {
  return {
    tickMs: (loop: string) =>
      loop === 'claim'
        ? (config.job_timeout_secs + config.shutdown_grace_secs) * 1000 + CLAIM_UPLOAD_ALLOWANCE_MS
        : TICK_LIMIT_MS,
    lateMs: WAIT_LATE_MS,
  };
}

function describeWedged(w: WedgedLoop): string {
  const what = w.phase === 'ticking' ? 'tick has not returned' : 'wait has not ended';
  return `${w.loop} loop wedged: its ${what} (${Math.ceil(w.overdueMs / 1000)} s past its limit)`;
}

/** /healthz: alive while no loop is wedged (a worker still registering has no loops yet). */
export function livenessOf(
  phases: ReadonlyMap<string, LoopPhase>,
  now: number,
  config: WorkerConfig,
): ProbeAnswer {
  const wedged = wedgedLoops(phases, now, wedgeLimitsFor(config));
  if (wedged.length > 0) return { ok: false, reasons: wedged.map(describeWedged) };
  return { ok: true, detail: phases.size === 0 ? 'alive (loops not started)' : 'alive' };
}

/** /readyz: ready to take jobs, or every reason it is not. */
export function readinessOf(snapshot: WorkerSnapshot): ProbeAnswer {
  const reasons: string[] = [];
  const registration = snapshot.registration;
  if (registration.kind !== 'registered') reasons.push(`not registered (${registration.kind})`);
  const engine = snapshot.engineHealth;
  if (engine !== null && !engine.reachable) {
    reasons.push(`engine ${snapshot.engine} does not answer`);
  }
  if (snapshot.stopping) reasons.push('stopping');
  if (snapshot.draining) reasons.push('draining');
  if (!snapshot.enabled) reasons.push('claiming disabled (auto_enabled = false)');
  if (snapshot.pausedReason !== null) reasons.push(`paused: ${snapshot.pausedReason}`);
  return reasons.length === 0 ? { ok: true, detail: 'ready' } : { ok: false, reasons };
}
