// The Worker: builds the tick context from its ports, runs the loops, registers, follows the
// config file, and stops or drains gracefully. The CLI and the desktop app both drive this.
import type { WorkerConfig } from '../config/types.js';
import type { ConfigStore } from '../config/store.js';
import { configSecrets } from '../config/redact.js';
import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../host/host.js';
import type { PresenceSource } from '../presence/source.js';
import type { Credentials, StudioApi } from '../studio/api.js';
import { StudioError } from '../studio/errors.js';
import type { UpdateSource } from '../update/source.js';
import type { AutoUpdateDecision } from './auto-update.js';
import { autoUpdateTick } from './auto-update.js';
import type { Clock } from './clock.js';
import { sleep, systemClock } from './clock.js';
import { LOG_QUEUE_CAP, SPOOL_MIN_FREE_BYTES, STOP_STUDIO_MS } from './constants.js';
import type { RunFlags, TickContext } from './context.js';
import { credentialsOf } from './context.js';
import { createLogger } from './log.js';
import { LoopActivity } from './loop-activity.js';
import type { LogSink, Logger } from './log.js';
import { LogQueue } from './log-queue.js';
import { logShipperTick } from './log-shipper.js';
import type { Loops } from './loops.js';
import { runLoops } from './loops.js';
import { clampThresholdOnFirstLaunch, watchHost } from './admission.js';
import { currentCapabilities } from './heartbeat.js';
import { WorkerObservers, localDay } from './observers.js';
import { backoffFor, scheduleFromConfig } from './schedule.js';
import { createSpool, logSpoolInit } from './spool.js';
import { configFields } from './config-view.js';
import { errorMessage, noteStudioError, noteStudioSuccess } from './studio-state.js';
import { logStartupBanner } from './format.js';

/** What the worker hands each studio client, read per call. */
export interface StudioCallLimits {
  /** request_timeout_secs, in ms. */
  timeoutMs(): number;
  /** Aborts when the calls in flight must end now (a stop). */
  signal(): AbortSignal;
}

export interface WorkerPorts {
  configStore: ConfigStore;
  /** Makes the studio client for a base URL (rebuilt when api_base_url changes). */
  studioFor: (baseUrl: string, secrets: () => string[], limits: StudioCallLimits) => StudioApi;
  engine: Engine;
  host: HostProbe;
  agentVersion: string;
  spoolDir: string;
  clock?: Clock;
  updateSource?: UpdateSource;
  logSinks?: LogSink[];
  random?: () => number;
  /** What the OS says about the person at the machine (presence rules); none = rules off. */
  presence?: PresenceSource;
  /** Free disk space the spool needs before a job is claimed (default 256 MB). */
  spoolMinFreeBytes?: number;
  /** Called once drained after an update was downloaded (desktop: quitAndInstall). */
  installUpdate?: (version: string) => Promise<void>;
}

export interface Worker {
  readonly observers: WorkerObservers;
  readonly configStore: ConfigStore;
  readonly log: Logger;
  readonly context: TickContext;
  /** What each loop is doing since when, and every tick's outcome (health and metrics). */
  readonly loopActivity: LoopActivity;
  /** Prepares the spool and starts the loops. */
  start(): Promise<void>;
  /** Registers with the bootstrap token; stores worker_id and auth_token in the config. */
  register(opts?: { bootstrapToken?: string; reset?: boolean }): Promise<Credentials>;
  /** Registers if needed, retrying while the studio is unreachable (until `signal` aborts). */
  ensureRegistered(signal: AbortSignal): Promise<Credentials | null>;
  /** Stop claiming, let the running job finish within `graceMs`, flush logs, end the loops. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  /** Check for updates now (the user asked). */
  checkForUpdates(): Promise<AutoUpdateDecision | null>;
  /** Runs the next claim/heartbeat at once (after a setting changed). */
  wake(): void;
  /** Pauses claiming for `minutes` (a running job finishes); 0 ends a snooze. */
  snooze(minutes: number): void;
  /**
   * Holds claiming for a named reason (`source` e.g. 'suspend', 'presence', 'admission'), or
   * releases that source's hold with null. A running job is never stopped by a hold; the first
   * held reason is what the status shows ("paused: on battery").
   */
  hold(source: string, reason: string | null): void;
}

export function createWorker(ports: WorkerPorts): Worker {
  const clock = ports.clock ?? systemClock;
  const store = ports.configStore;
  const secrets = () => configSecrets(store.current());
  const logQueue = new LogQueue(LOG_QUEUE_CAP, () => clock.now());
  const initial = store.current();
  const observers = new WorkerObservers(
    {
      agentVersion: ports.agentVersion,
      configPath: store.path,
      engine: ports.engine.name,
      ...configFields(initial),
    },
    () => localDay(clock.now()),
    () => clock.now(),
  );
  const log = createLogger({
    sinks: [(e) => observers.addLog(e), (e) => logQueue.push(e), ...(ports.logSinks ?? [])],
    secrets,
    clock,
  });

  // A stop ends every studio call in flight at once (cutStudioCalls); once the grace period is
  // over, what is still sent (a failure report, the last log lines) shares STOP_STUDIO_MS.
  let calls = new AbortController();
  let callsDeadline: AbortSignal | null = null;
  const cutStudioCalls = () => {
    calls.abort();
    calls = new AbortController();
  };
  const limits: StudioCallLimits = {
    timeoutMs: () => store.current().request_timeout_secs * 1000,
    signal: () => (callsDeadline ? AbortSignal.any([calls.signal, callsDeadline]) : calls.signal),
  };
  let client: { baseUrl: string; api: StudioApi } | null = null;
  const studio = () => {
    const baseUrl = store.current().api_base_url;
    if (!client || client.baseUrl !== baseUrl)
      client = { baseUrl, api: ports.studioFor(baseUrl, secrets, limits) };
    return client.api;
  };

  const flags: RunFlags = {
    draining: false,
    stopping: false,
    holds: new Map(),
    pausedReason: null,
  };
  const kill = new AbortController();
  const loopActivity = new LoopActivity(clock);
  const ctx: TickContext = {
    config: () => store.current(),
    studio,
    engine: ports.engine,
    // Every probe updates the snapshot's GPUs and the admission hold.
    host: watchHost(ports.host, {
      config: () => store.current(),
      observers,
      log,
      hold: (source, reason) => hold(source, reason),
    }),
    clock,
    observers,
    log,
    logQueue,
    spool: createSpool(ports.spoolDir),
    schedule: () => scheduleFromConfig(store.current()),
    agentVersion: ports.agentVersion,
    flags,
    killSignal: kill.signal,
    random: ports.random ?? Math.random,
    hold: (source, reason) => hold(source, reason),
    spoolMinFreeBytes: ports.spoolMinFreeBytes ?? SPOOL_MIN_FREE_BYTES,
    loopActivity,
  };

  let loops: Loops | null = null;
  let unwatch: (() => void) | null = null;
  let lastUpdateCheck: number | null = null;

  let prevConfig = initial;
  const onConfigChange = (next: WorkerConfig) => {
    const prev = observers.snapshot();
    if (prev.enabled !== next.auto_enabled) {
      log.info(
        'config',
        next.auto_enabled
          ? 'claiming enabled'
          : 'claiming disabled: the running job (if any) finishes, no new ones',
      );
    }
    // Compared with the previous config: the snapshot's threshold is the advertised one.
    if (prevConfig.vram_threshold_gb !== next.vram_threshold_gb) {
      log.info('config', `vram threshold now ${next.vram_threshold_gb} GB`);
    }
    const { registration, ...fields } = configFields(next);
    // A worker that is rejected stays so until the credentials change.
    const credentialsChanged =
      next.auth_token !== prevConfig.auth_token || next.worker_id !== prevConfig.worker_id;
    observers.set(
      credentialsChanged || observers.registration.kind === 'unregistered'
        ? { ...fields, registration }
        : fields,
    );
    prevConfig = next;
    worker.wake();
  };

  const drainAndInstall = async (version: string) => {
    if (!ports.installUpdate) return;
    flags.draining = true;
    observers.set({ draining: true });
    log.info('update', `draining before installing ${version}: no new jobs`);
    await waitForIdle();
    await flushLogs();
    await ports.installUpdate(version);
  };

  const waitForIdle = () =>
    new Promise<void>((resolve) => {
      if (!observers.currentJob) return resolve();
      const off = observers.subscribe(() => {
        if (!observers.currentJob) {
          off();
          resolve();
        }
      });
    });

  const flushLogs = async () => {
    for (let i = 0; i < 5 && logQueue.size > 0; i += 1) {
      const outcome = await logShipperTick(ctx);
      if (outcome.kind === 'error' || outcome.kind === 'skipped') break;
    }
  };

  const register = async (opts: { bootstrapToken?: string; reset?: boolean } = {}) => {
    const config = store.current();
    const bootstrapToken = opts.bootstrapToken ?? config.bootstrap_token;
    const workerId = opts.reset ? undefined : (config.worker_id ?? undefined);
    observers.set({ registration: { kind: 'registering' } });
    try {
      const firstLaunch = await clampThresholdOnFirstLaunch({
        configStore: store,
        host: ctx.host,
        log,
      });
      // Before start() the config is not watched yet: show the lowered threshold now.
      if (firstLaunch.kind === 'clamp') onConfigChange(store.current());
      const capabilities = await currentCapabilities(ctx);
      const creds = await studio().register({
        bootstrapToken,
        capabilities,
        ...(workerId ? { workerId } : {}),
      });
      await store.update((c) => ({ ...c, worker_id: creds.workerId, auth_token: creds.authToken }));
      noteStudioSuccess(ctx);
      observers.set({
        registration: { kind: 'registered', workerId: creds.workerId },
        lastError: null,
      });
      log.info('register', `registered as worker ${creds.workerId}`);
      return creds;
    } catch (error) {
      observers.set({ registration: { kind: 'unregistered' } });
      if (error instanceof StudioError && error.credentialsRejected) {
        throw new StudioError({
          op: 'register',
          kind: error.kind,
          status: error.status,
          message: `${error.message} — the studio refused the bootstrap token; check bootstrap_token (or pass --bootstrap-token)`,
        });
      }
      throw error;
    }
  };

  const holds = flags.holds;
  const hold = (source: string, reason: string | null) => {
    if ((holds.get(source) ?? null) === reason) return;
    if (reason === null) holds.delete(source);
    else holds.set(source, reason);
    flags.pausedReason = holds.values().next().value ?? null;
    observers.set({ pausedReason: flags.pausedReason });
    log.info(
      'runtime',
      reason === null ? `${source}: claiming allowed again` : `paused: ${reason}`,
    );
    worker.wake();
  };

  let snoozeTimer: NodeJS.Timeout | undefined;
  const endSnooze = () => {
    clearTimeout(snoozeTimer);
    snoozeTimer = undefined;
    observers.set({ snoozedUntil: null });
    hold('snooze', null);
  };

  const worker: Worker = {
    observers,
    configStore: store,
    log,
    context: ctx,
    loopActivity,
    async start() {
      const config = store.current();
      logStartupBanner(log, {
        configPath: store.path,
        config,
        agentVersion: ports.agentVersion,
        warnings: store.warnings,
      });
      try {
        logSpoolInit(log, ctx.spool.dir, await ctx.spool.init());
        const stats = await ctx.spool.stats();
        observers.set({ spool: stats });
        if (stats.count > 0) {
          log.info('spool', `${stats.count} spooled result(s) will be uploaded before new jobs`);
        }
      } catch (error) {
        // The loops still start: heartbeats say we are here, and the claim loop holds claiming
        // with the reason until the spool folder can be written.
        log.error(
          'spool',
          `cannot prepare the spool folder ${ctx.spool.dir}: ${errorMessage(error)}`,
        );
      }
      unwatch = store.watch(onConfigChange, (e) =>
        log.error('config', `${e.message} — keeping the previous settings`),
      );
      loops = runLoops(ctx, {
        ...(ports.presence ? { presence: ports.presence } : {}),
        ...(ports.updateSource ? { updateSource: ports.updateSource } : {}),
        onUpdate: (d) => {
          if (d.kind === 'updated') void drainAndInstall(d.version);
        },
      });
    },
    register,
    async ensureRegistered(signal) {
      // A stop while a register call waits on the studio ends that call too.
      signal.addEventListener('abort', cutStudioCalls, { once: true });
      try {
        for (let attempt = 0; !signal.aborted; attempt += 1) {
          const creds = credentialsOf(store.current());
          if (creds) return creds;
          try {
            return await register();
          } catch (error) {
            if (!(error instanceof StudioError) || !error.transient) throw error;
            noteStudioError(ctx, error);
            await sleep(backoffFor(ctx.schedule(), attempt, ctx.random), signal);
          }
        }
        return null;
      } finally {
        signal.removeEventListener('abort', cutStudioCalls);
      }
    },
    async stop(opts = {}) {
      if (flags.stopping) return;
      flags.stopping = true;
      observers.set({ stopping: true });
      const graceMs = opts.graceMs ?? store.current().shutdown_grace_secs * 1000;
      const running = observers.currentJob;
      if (running)
        log.info(
          'runtime',
          `stopping: letting job ${running.id} finish (up to ${Math.round(graceMs / 1000)} s)`,
          running.id,
        );
      else log.info('runtime', 'stopping');
      loops?.claim.stop();
      // A claim, heartbeat or upload waiting on the studio ends now (a result stays spooled).
      cutStudioCalls();
      if (loops) {
        const finished = await Promise.race([
          loops.claim.done.then(() => true),
          sleep(graceMs).then(() => false),
        ]);
        if (!finished) {
          log.warn('runtime', 'grace period over: stopping the running job');
          kill.abort();
        }
      }
      callsDeadline = AbortSignal.timeout(STOP_STUDIO_MS);
      cutStudioCalls();
      await loops?.claim.done;
      loops?.heartbeat.stop();
      loops?.engineHealth?.stop();
      loops?.presence?.stop();
      loops?.autoUpdater?.stop();
      loops?.logShipper.stop();
      await Promise.all([
        loops?.heartbeat.done,
        loops?.engineHealth?.done,
        loops?.presence?.done,
        loops?.autoUpdater?.done,
        loops?.logShipper.done,
      ]);
      unwatch?.();
      clearTimeout(snoozeTimer);
      log.info('runtime', 'stopped');
      await flushLogs();
    },
    async checkForUpdates() {
      if (!ports.updateSource) return null;
      const decision = await autoUpdateTick({
        ...ctx,
        source: ports.updateSource,
        lastCheckAt: lastUpdateCheck,
        force: true,
      });
      lastUpdateCheck = clock.now();
      if (decision.kind === 'updated') void drainAndInstall(decision.version);
      return decision;
    },
    wake() {
      loops?.claim.wake();
      loops?.heartbeat.wake();
    },
    snooze(minutes) {
      if (minutes <= 0) return endSnooze();
      const until = clock.now() + minutes * 60_000;
      clearTimeout(snoozeTimer);
      snoozeTimer = setTimeout(endSnooze, minutes * 60_000);
      snoozeTimer.unref();
      observers.set({ snoozedUntil: new Date(until).toISOString() });
      hold('snooze', `snoozed until ${new Date(until).toTimeString().slice(0, 5)}`);
    },
    hold,
  };
  return worker;
}
