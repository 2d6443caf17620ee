// The four background loops. Each is a thin `while (!stopped)` wrapper: run one tick, pick the
// next delay from its outcome, wait (stop-aware). No business logic lives here.
import type { HeartbeatOutcome } from '../../shared/snapshot.js';
import type { UpdateSource } from '../update/source.js';
import type { AutoUpdateDecision } from './auto-update.js';
import { autoUpdateTick } from './auto-update.js';
import type { ClaimOutcome } from './claim.js';
import { claimTick, nextDelayFor } from './claim.js';
import type { Clock } from './clock.js';
import { LOG_BATCH_MAX } from './constants.js';
import type { TickContext } from './context.js';
import type { Disposable, DisposableStore } from './disposables.js';
import { ENGINE_CHECK_EVERY_HEARTBEATS, engineHealthTick } from './engine-health.js';
import { heartbeatTick } from './heartbeat.js';
import { createGate } from '../presence/hysteresis.js';
import { anyRuleSet, presenceSettingsOf } from '../presence/rules.js';
import type { PresenceSource } from '../presence/source.js';
import { presenceTick } from '../presence/tick.js';
import type { LogShipOutcome } from './log-shipper.js';
import { logShipperTick } from './log-shipper.js';
import type { LoopSchedule } from './schedule.js';
import { backoffFor, delayAfterThrow } from './schedule.js';
import { errorMessage } from '../errors/message.js';
import type { LoopActivity } from './loop-activity.js';

export interface LoopHandle extends Disposable {
  readonly name: string;
  /** Ends the loop after the tick in progress (a wait ends at once). */
  stop(): void;
  /** Cuts the current wait short: the next tick runs now. */
  wake(): void;
  readonly done: Promise<void>;
  /** stop(), then resolves once the loop has ended (`done`). */
  dispose(): Promise<void>;
}

interface LoopSpec<T> {
  name: string;
  tick: () => Promise<T>;
  /** `errors` counts the consecutive failed ticks before this outcome. */
  delay: (outcome: T, errors: number) => number;
  isError: (outcome: T) => boolean;
  log: TickContext['log'];
  /** Where the waits between ticks happen (a test hands in a manual clock). */
  clock: Pick<Clock, 'sleep'>;
  /** The wait after a tick threw; `throws` counts the throws in a row before this one. */
  afterThrow: (throws: number) => number;
  onOutcome?: (outcome: T) => void;
  /** Where the loop records its phases (health) and outcomes (metrics). */
  activity?: LoopActivity | undefined;
}

export function spawnLoop<T>(spec: LoopSpec<T>): LoopHandle {
  const stopper = new AbortController();
  let waker = new AbortController();
  const run = async () => {
    let errors = 0;
    let throws = 0;
    while (!stopper.signal.aborted) {
      let delay: number;
      let outcome: T | undefined;
      spec.activity?.tickStarted(spec.name);
      try {
        outcome = await spec.tick();
        spec.onOutcome?.(outcome);
        delay = spec.delay(outcome, errors);
        errors = spec.isError(outcome) ? errors + 1 : 0;
        throws = 0;
      } catch (error) {
        // Ticks return outcomes; a throw is a bug. Keep the worker alive and back off.
        spec.log.error('runtime', `${spec.name} tick failed unexpectedly: ${errorMessage(error)}`);
        delay = spec.afterThrow(throws);
        throws += 1;
      }
      spec.activity?.tickEnded(spec.name, outcome, delay);
      if (stopper.signal.aborted) break;
      waker = new AbortController();
      await spec.clock.sleep(delay, AbortSignal.any([stopper.signal, waker.signal]));
    }
  };
  const done = run().finally(() => spec.activity?.loopEnded(spec.name));
  return {
    name: spec.name,
    stop: () => stopper.abort(),
    wake: () => waker.abort(),
    done,
    dispose: () => {
      stopper.abort();
      return done;
    },
  };
}

/** What every loop of the worker shares: its log, clock, health record and backoff after a throw. */
function loopBasics(
  ctx: TickContext,
): Pick<LoopSpec<unknown>, 'log' | 'clock' | 'afterThrow' | 'activity'> {
  return {
    log: ctx.log,
    clock: ctx.clock,
    afterThrow: (throws) => delayAfterThrow(ctx.schedule(), throws, ctx.random),
    activity: ctx.loopActivity,
  };
}

export function heartbeatDelayFor(
  outcome: HeartbeatOutcome,
  schedule: LoopSchedule,
  errors: number,
  random: () => number,
): number {
  if (outcome.kind !== 'error') return schedule.heartbeatMs;
  if (outcome.credentialsRejected) return Math.max(schedule.heartbeatMs, schedule.backoffMaxMs);
  return Math.max(schedule.heartbeatMs, backoffFor(schedule, errors, random));
}

export function spawnHeartbeat(ctx: TickContext): LoopHandle {
  return spawnLoop<HeartbeatOutcome>({
    name: 'heartbeat',
    tick: () => heartbeatTick(ctx),
    delay: (o, errors) => heartbeatDelayFor(o, ctx.schedule(), errors, ctx.random),
    isError: (o) => o.kind === 'error',
    ...loopBasics(ctx),
  });
}

export function spawnClaimLoop(
  ctx: TickContext,
  onOutcome?: (o: ClaimOutcome) => void,
): LoopHandle {
  return spawnLoop<ClaimOutcome>({
    name: 'claim',
    tick: () => claimTick(ctx),
    delay: (o, errors) => nextDelayFor(o, ctx.schedule(), errors, ctx.random),
    isError: (o) => o.kind === 'error',
    ...loopBasics(ctx),
    ...(onOutcome ? { onOutcome } : {}),
  });
}

export function spawnLogShipper(ctx: TickContext): LoopHandle {
  return spawnLoop<LogShipOutcome>({
    name: 'log shipper',
    tick: () => logShipperTick(ctx),
    delay: (o, errors) => {
      if (o.kind === 'error') {
        return Math.max(ctx.schedule().logFlushMs, backoffFor(ctx.schedule(), errors, ctx.random));
      }
      // A full batch still waiting means lines arrive faster than one tick ships: go on at once.
      return o.kind === 'shipped' && ctx.logQueue.size >= LOG_BATCH_MAX
        ? 0
        : ctx.schedule().logFlushMs;
    },
    isError: (o) => o.kind === 'error',
    ...loopBasics(ctx),
  });
}

export function spawnAutoUpdater(
  ctx: TickContext,
  source: UpdateSource,
  onDecision: (decision: AutoUpdateDecision) => void,
): LoopHandle {
  let lastCheckAt: number | null = null;
  return spawnLoop<AutoUpdateDecision>({
    name: 'auto-updater',
    tick: async () => {
      const decision = await autoUpdateTick({ ...ctx, source, lastCheckAt });
      if (
        decision.kind !== 'disabled' &&
        decision.kind !== 'not-due' &&
        decision.kind !== 'skipped-busy'
      ) {
        lastCheckAt = ctx.clock.now();
      }
      return decision;
    },
    delay: () => ctx.schedule().autoUpdateTickMs,
    isError: () => false,
    ...loopBasics(ctx),
    onOutcome: onDecision,
  });
}

/** Checks the engine's server at start and then every ENGINE_CHECK_EVERY_HEARTBEATS heartbeats. */
export function spawnEngineHealth(ctx: TickContext): LoopHandle {
  return spawnLoop({
    name: 'engine health',
    tick: () => engineHealthTick({ ...ctx, announce: () => heartbeatTick(ctx) }),
    // While the engine does not answer, asked at every heartbeat: its models come back sooner.
    delay: () =>
      ctx.schedule().heartbeatMs *
      (ctx.observers.snapshot().engineHealth?.reachable === false
        ? 1
        : ENGINE_CHECK_EVERY_HEARTBEATS),
    isError: () => false,
    ...loopBasics(ctx),
  });
}

/** Applies the presence rules: holds claiming with their reason, releases it when they clear. */
export function spawnPresence(ctx: TickContext, source: PresenceSource): LoopHandle {
  const newGate = () => createGate(() => ctx.config().presence_hold_secs * 1000);
  let gate = newGate();
  return spawnLoop({
    name: 'presence',
    tick: async () => {
      const settings = presenceSettingsOf(ctx.config());
      // With no rule set nothing is asked of the OS, and switching the rules off releases at once.
      if (!anyRuleSet(settings)) gate = newGate();
      const outcome = anyRuleSet(settings)
        ? await presenceTick({ settings, source, gate, now: () => ctx.clock.now() })
        : { raw: null, reason: null };
      ctx.hold('presence', outcome.reason);
      return outcome;
    },
    // As often as the heartbeat: the rules' answer is what the heartbeat reports (autoEnabled).
    delay: () => ctx.schedule().heartbeatMs,
    isError: () => false,
    ...loopBasics(ctx),
  });
}

export interface Loops {
  heartbeat: LoopHandle;
  engineHealth: LoopHandle | null;
  presence: LoopHandle | null;
  claim: LoopHandle;
  logShipper: LoopHandle;
  autoUpdater: LoopHandle | null;
}

/**
 * Starts all loops (the engine health check only for an engine with a health check, presence only
 * with a PresenceSource, the auto-updater only with an UpdateSource), each added to `store` as it
 * starts: disposing the store ends them all.
 */
export function runLoops(
  ctx: TickContext,
  opts: {
    presence?: PresenceSource;
    updateSource?: UpdateSource;
    onUpdate?: (d: AutoUpdateDecision) => void;
    onClaim?: (o: ClaimOutcome) => void;
  },
  store: DisposableStore,
): Loops {
  const { presence, updateSource } = opts;
  return {
    heartbeat: store.add(spawnHeartbeat(ctx)),
    engineHealth: ctx.engine.health ? store.add(spawnEngineHealth(ctx)) : null,
    presence: presence ? store.add(spawnPresence(ctx, presence)) : null,
    claim: store.add(spawnClaimLoop(ctx, opts.onClaim)),
    logShipper: store.add(spawnLogShipper(ctx)),
    autoUpdater: updateSource
      ? store.add(spawnAutoUpdater(ctx, updateSource, opts.onUpdate ?? (() => undefined)))
      : null,
  };
}
