// A real worker against the real local studio, over loopback, with a temp config and spool.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LogEntry } from '../../src/shared/snapshot.js';
import type { ConfigStore } from '../../src/core/config/store.js';
import { openConfigStore } from '../../src/core/config/store.js';
import type { WorkerConfig } from '../../src/core/config/types.js';
import type { Engine } from '../../src/core/engine/engine.js';
import type { PresenceSource } from '../../src/core/presence/source.js';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import type { HostProbe } from '../../src/core/host/host.js';
import { createOsHostProbe } from '../../src/core/host/host.js';
import type { Worker } from '../../src/core/runtime/worker.js';
import type { Clock } from '../../src/core/runtime/clock.js';
import type { ManualClock } from './manual-clock.js';
import { createWorker } from '../../src/core/runtime/worker.js';
import { createStudioClient } from '../../src/core/studio/client.js';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';

/** A schedule in tens of milliseconds, so integration tests take moments, not minutes. */
export const FAST_SCHEDULE: WorkerConfig['schedule'] = {
  heartbeat_secs: 0.1,
  claim_after_job_secs: 0,
  claim_idle_secs: 0.05,
  log_flush_secs: 0.05,
  auto_update_tick_secs: 60,
  backoff_max_secs: 0.4,
};

export async function tempDir(prefix = 'studio-worker-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes a config for a worker that talks to `sim` (returns the store). */
export async function configFor(
  sim: StudioSim,
  dir: string,
  patch: Partial<WorkerConfig> = {},
): Promise<ConfigStore> {
  const store = await openConfigStore(path.join(dir, 'config.toml'));
  await store.update((c) => ({
    ...c,
    api_base_url: sim.url,
    spool_dir: path.join(dir, 'spool'),
    schedule: FAST_SCHEDULE,
    ...patch,
  }));
  return store;
}

export interface Harness {
  sim: StudioSim;
  store: ConfigStore;
  dir: string;
  logs: LogEntry[];
  worker: Worker;
  /** A fresh worker on the same config and spool (a restart). */
  restart(opts?: { engine?: Engine }): Promise<Worker>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    config?: Partial<WorkerConfig>;
    engine?: Engine;
    sim?: Parameters<typeof startStudioSim>[0];
    register?: boolean;
    start?: boolean;
    /** The host probe (default: no GPU detection, 24 GB, free VRAM unknown). */
    host?: HostProbe;
    /** The studio client's request timeout (default 2 s). */
    clientTimeoutMs?: number;
    spoolMinFreeBytes?: number;
    presence?: PresenceSource;
    /** The worker's clock (default: the system clock); see `passTime`. */
    clock?: Clock;
    /** The worker's jitter source (default: Math.random). */
    random?: () => number;
  } = {},
): Promise<Harness> {
  const sim = await startStudioSim({ port: 0, ...opts.sim });
  const dir = await tempDir();
  const store = await configFor(sim, dir, opts.config);
  const logs: LogEntry[] = [];
  const build = (engine: Engine) =>
    createWorker({
      configStore: store,
      studioFor: (baseUrl, secrets, limits) =>
        createStudioClient({
          baseUrl,
          secrets,
          timeoutMs: opts.clientTimeoutMs ?? 2_000,
          signal: limits.signal,
        }),
      engine,
      host: opts.host ?? createOsHostProbe(24),
      agentVersion: '0.0.0-test',
      spoolDir: store.current().spool_dir ?? path.join(dir, 'spool'),
      logSinks: [(e) => logs.push(e)],
      ...(opts.spoolMinFreeBytes !== undefined
        ? { spoolMinFreeBytes: opts.spoolMinFreeBytes }
        : {}),
      ...(opts.presence ? { presence: opts.presence } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
  let worker = build(opts.engine ?? createSyntheticEngine());
  if (opts.register !== false) await worker.register();
  if (opts.start !== false) await worker.start();
  const harness: Harness = {
    sim,
    store,
    dir,
    logs,
    get worker() {
      return worker;
    },
    async restart(restartOpts = {}) {
      await worker.stop({ graceMs: 2_000 });
      worker = build(restartOpts.engine ?? opts.engine ?? createSyntheticEngine());
      await worker.start();
      return worker;
    },
    async close() {
      await worker.stop({ graceMs: 2_000 });
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls until `predicate` holds (or fails the test with `what` after `timeoutMs`). */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** True when every loop of the worker has finished its tick and waits for its next one. */
export function allLoopsWaiting(worker: Worker): boolean {
  const phases = [...worker.loopActivity.current().values()];
  return phases.length > 0 && phases.every((p) => p.kind === 'waiting');
}

/**
 * For a worker on a manual clock: lets `ms` of its time pass in steps of `stepMs`. After each
 * step it waits (in real time, for the loopback studio to answer) until every loop has finished
 * the tick the step started and waits on the clock again, so what a test counts afterwards is
 * exactly what that much time allows, however loaded the machine is.
 */
export async function passTime(
  worker: Worker,
  clock: ManualClock,
  ms: number,
  stepMs: number,
): Promise<void> {
  await eventually(() => allLoopsWaiting(worker), 'the loops to wait on the clock');
  for (let passed = 0; passed < ms; passed += stepMs) {
    await clock.advance(Math.min(stepMs, ms - passed));
    await eventually(() => allLoopsWaiting(worker), 'the loops to finish their ticks');
  }
}
