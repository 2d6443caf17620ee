// The worker's lifetime: start (spool, config watch, loops), drain before an update is installed,
// and a graceful stop. Everything start() sets going goes into one DisposableStore; stop() ends
// the claim loop gracefully (the running job gets its grace period) and then disposes the store,
// newest first, instead of naming each loop.
import type { ConfigStore } from '../config/store.js';
import type { WorkerConfig } from '../config/types.js';
import type { PresenceSource } from '../presence/source.js';
import type { UpdateSource } from '../update/source.js';
import type { AutoUpdateDecision } from './auto-update.js';
import { STOP_STUDIO_MS } from './constants.js';
import type { TickContext } from './context.js';
import { DisposableStore, toDisposable } from './disposables.js';
import { logStartupBanner } from './format.js';
import type { Holds } from './holds.js';
import { logShipperTick } from './log-shipper.js';
import type { Loops } from './loops.js';
import { runLoops } from './loops.js';
import { logSpoolInit } from './spool.js';
import type { StudioCalls } from './studio-calls.js';
import { errorMessage } from '../errors/message.js';

export interface LifecycleDeps {
  ctx: TickContext;
  store: ConfigStore;
  calls: StudioCalls;
  holds: Holds;
  /** Its signal is ctx.killSignal: aborted when a stop's grace period runs out. */
  kill: AbortController;
  /** Called with each new config from the watched file. */
  applyConfig: (next: WorkerConfig) => void;
  presence?: PresenceSource;
  updateSource?: UpdateSource;
  /** Called once drained after an update was downloaded (desktop: quitAndInstall). */
  installUpdate?: (version: string) => Promise<void>;
}

export interface Lifecycle {
  /** Prepares the spool, follows the config file and starts the loops. */
  start(): Promise<void>;
  /** Stop claiming, let the running job finish within `graceMs`, flush logs, end the loops. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  /** An update is ready: claim nothing new, wait for the running job, ship the logs, install. */
  drainAndInstall(version: string): Promise<void>;
  /** Runs the next claim and heartbeat at once. */
  wake(): void;
}

export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const { ctx, store, calls } = deps;
  const { observers, log, flags } = ctx;
  const running = new DisposableStore({
    onLateError: (error) =>
      log.error('runtime', `stopping something started after the stop: ${errorMessage(error)}`),
  });
  // A snooze's timer outlives nothing: it goes with the worker.
  running.add(deps.holds);
  let loops: Loops | null = null;

  const drainAndInstall = async (version: string) => {
    if (!deps.installUpdate) return;
    flags.draining = true;
    observers.set({ draining: true });
    log.info('update', `draining before installing ${version}: no new jobs`);
    await waitForIdle(ctx);
    await flushLogs(ctx);
    await deps.installUpdate(version);
  };

  const start = async () => {
    logStartupBanner(log, {
      configPath: store.path,
      config: store.current(),
      agentVersion: ctx.agentVersion,
      warnings: store.warnings,
    });
    await prepareSpool(ctx);
    running.add(
      toDisposable(
        store.watch(deps.applyConfig, (e) =>
          log.error('config', `${e.message} — keeping the previous settings`),
        ),
      ),
    );
    loops = runLoops(
      ctx,
      {
        ...(deps.presence ? { presence: deps.presence } : {}),
        ...(deps.updateSource ? { updateSource: deps.updateSource } : {}),
        onUpdate: (d: AutoUpdateDecision) => {
          if (d.kind === 'updated') void drainAndInstall(d.version);
        },
      },
      running,
    );
  };

  const stop = async (opts: { graceMs?: number } = {}) => {
    if (flags.stopping) return;
    flags.stopping = true;
    observers.set({ stopping: true });
    const graceMs = opts.graceMs ?? store.current().shutdown_grace_secs * 1000;
    const job = observers.currentJob;
    if (job)
      log.info(
        'runtime',
        `stopping: letting job ${job.id} finish (up to ${Math.round(graceMs / 1000)} s)`,
        job.id,
      );
    else log.info('runtime', 'stopping');
    await endClaiming(loops, graceMs);
    // The claim loop is done: the other loops, the config watch and the snooze timer end now.
    await running.dispose();
    log.info('runtime', 'stopped');
    await flushLogs(ctx);
  };

  /** Ends the claim loop (if started); a job still running when `graceMs` is over is stopped. */
  const endClaiming = async (started: Loops | null, graceMs: number) => {
    started?.claim.stop();
    // A claim, heartbeat, upload or registration waiting on the studio ends now (a result stays
    // spooled).
    calls.cut();
    if (started) {
      const finished = await Promise.race([
        started.claim.done.then(() => true),
        ctx.clock.sleep(graceMs).then(() => false),
      ]);
      if (!finished) {
        log.warn('runtime', 'grace period over: stopping the running job');
        deps.kill.abort();
      }
    }
    calls.endAllWithin(STOP_STUDIO_MS);
    calls.cut();
    await started?.claim.done;
  };

  return {
    start,
    stop,
    drainAndInstall,
    wake() {
      loops?.claim.wake();
      loops?.heartbeat.wake();
    },
  };
}

/**
 * Prepares the spool folder and shows what it still holds. A failure is logged, not thrown: the
 * loops still start, heartbeats say we are here, and the claim loop holds claiming with the
 * reason until the folder can be written.
 */
async function prepareSpool(ctx: TickContext): Promise<void> {
  const { spool, log, observers } = ctx;
  try {
    logSpoolInit(log, spool.dir, await spool.init());
    const stats = await spool.stats();
    observers.set({ spool: stats });
    if (stats.count > 0) {
      log.info('spool', `${stats.count} spooled result(s) will be uploaded before new jobs`);
    }
  } catch (error) {
    log.error('spool', `cannot prepare the spool folder ${spool.dir}: ${errorMessage(error)}`);
  }
}

/** Resolves once no job is running (at once when none is). */
function waitForIdle(ctx: Pick<TickContext, 'observers'>): Promise<void> {
  const { observers } = ctx;
  return new Promise<void>((resolve) => {
    if (!observers.currentJob) return resolve();
    const off = observers.subscribe(() => {
      if (!observers.currentJob) {
        off();
        resolve();
      }
    });
  });
}

/** Ships what the log queue holds, in a few batches at most; gives up at the first failure. */
async function flushLogs(ctx: TickContext): Promise<void> {
  for (let i = 0; i < 5 && ctx.logQueue.size > 0; i += 1) {
    const outcome = await logShipperTick(ctx);
    if (outcome.kind === 'error' || outcome.kind === 'skipped') break;
  }
}
