// The Worker: composes the units of the worker's lifetime from its ports and hands the CLI and
// the desktop app one object to drive. Each concern lives in its own module:
//   studio-calls.ts   the studio client and the switch that ends its calls on a stop
//   holds.ts          holds on claiming (sleep, presence, spool, quit, …) and the snooze
//   config-changes.ts following the config file (log lines, snapshot, wake the loops)
//   registration.ts   register / ensureRegistered
//   update-checks.ts  "check for updates" on request
//   lifecycle.ts      start, drain before an update, graceful stop (one DisposableStore)
import type { ConfigStore } from '../config/store.js';
import { configSecrets } from '../config/redact.js';
import type { Engine } from '../engine/engine.js';
import type { HostProbe } from '../host/host.js';
import type { PresenceSource } from '../presence/source.js';
import type { Credentials } from '../studio/api.js';
import type { UpdateSource } from '../update/source.js';
import type { AutoUpdateDecision } from './auto-update.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { LOG_QUEUE_CAP, SPOOL_MIN_FREE_BYTES } from './constants.js';
import type { RunFlags, TickContext } from './context.js';
import { createLogger } from './log.js';
import { LoopActivity } from './loop-activity.js';
import type { LogSink, Logger } from './log.js';
import { LogQueue } from './log-queue.js';
import { watchHost } from './admission.js';
import { WorkerObservers, localDay } from './observers.js';
import { scheduleFromConfig } from './schedule.js';
import { createSpool } from './spool.js';
import { configFields } from './config-view.js';
import { followConfigChanges } from './config-changes.js';
import { createHolds } from './holds.js';
import { createLifecycle } from './lifecycle.js';
import type { RegisterOptions } from './registration.js';
import { createRegistration } from './registration.js';
import type { StudioFactory } from './studio-calls.js';
import { createStudioCalls } from './studio-calls.js';
import { updateChecksOnRequest } from './update-checks.js';

export interface WorkerPorts {
  configStore: ConfigStore;
  /** Makes the studio client for a base URL (rebuilt when api_base_url changes). */
  studioFor: StudioFactory;
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
  register(opts?: RegisterOptions): Promise<Credentials>;
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
  // The loops exist only once started; until then waking them is a no-op.
  const wake = () => lifecycle.wake();
  const holds = createHolds({ observers, log, clock, wake });
  const hold = holds.hold;
  const flags: RunFlags = {
    draining: false,
    stopping: false,
    holds: holds.reasons,
    get pausedReason() {
      return holds.pausedReason();
    },
  };
  const calls = createStudioCalls(store, ports.studioFor, secrets, clock);
  const kill = new AbortController();
  const loopActivity = new LoopActivity(clock);
  const ctx: TickContext = {
    config: () => store.current(),
    studio: () => calls.studio(),
    engine: ports.engine,
    // Every probe updates the snapshot's GPUs and the admission hold.
    host: watchHost(ports.host, {
      config: () => store.current(),
      observers,
      log,
      hold,
      engine: ports.engine,
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
    hold,
    spoolMinFreeBytes: ports.spoolMinFreeBytes ?? SPOOL_MIN_FREE_BYTES,
    loopActivity,
  };

  const applyConfig = followConfigChanges({ observers, log, initial, wake });
  const lifecycle = createLifecycle({
    ctx,
    store,
    calls,
    holds,
    kill,
    applyConfig,
    ...(ports.presence ? { presence: ports.presence } : {}),
    ...(ports.updateSource ? { updateSource: ports.updateSource } : {}),
    ...(ports.installUpdate ? { installUpdate: ports.installUpdate } : {}),
  });
  const registration = createRegistration({
    store,
    ctx,
    showConfig: applyConfig,
    cutStudioCalls: () => calls.cut(),
  });
  const checkForUpdates = updateChecksOnRequest(ctx, ports.updateSource, (version) => {
    void lifecycle.drainAndInstall(version);
  });

  return {
    observers,
    configStore: store,
    log,
    context: ctx,
    loopActivity,
    start: () => lifecycle.start(),
    register: (opts) => registration.register(opts),
    ensureRegistered: (signal) => registration.ensureRegistered(signal),
    stop: (opts) => lifecycle.stop(opts),
    checkForUpdates,
    wake,
    snooze: (minutes) => holds.snooze(minutes),
    hold,
  };
}
