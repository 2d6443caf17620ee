// Builds the worker under test from the built code in dist/: a temp folder with its config and
// spool, the real studio client, the OS host probe and a bench engine whose cost we choose.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConfigStore } from '../core/config/store.js';
import { openConfigStore } from '../core/config/store.js';
import type { WorkerConfig } from '../core/config/types.js';
import type { Engine, EngineResult } from '../core/engine/engine.js';
import { createOsHostProbe } from '../core/host/host.js';
import type { Worker } from '../core/runtime/worker.js';
import { createWorker } from '../core/runtime/worker.js';
import type { Credentials, StudioApi } from '../core/studio/api.js';
import { createStudioClient } from '../core/studio/client.js';
import type { TaskKind } from '../shared/snapshot.js';
import type { StudioSim } from '../studio-sim/index.js';

export const BENCH_AGENT_VERSION = '0.0.0-bench';

/** A 1×1 PNG: the "tiny result" of an instant job. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export function benchTempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'studio-worker-bench-'));
}

/**
 * Writes `<dir>/config.toml` for a worker of the studio at `studioUrl`: spool in `<dir>/spool`,
 * update feed at the studio (so nothing leaves loopback), everything else default unless patched.
 */
export async function writeBenchConfig(
  dir: string,
  studioUrl: string,
  patch: Partial<WorkerConfig> = {},
): Promise<ConfigStore> {
  const store = await openConfigStore(path.join(dir, 'config.toml'));
  await store.update((c) => ({
    ...c,
    api_base_url: studioUrl,
    auto_update_feed: `${studioUrl}/releases`,
    spool_dir: path.join(dir, 'spool'),
    ...patch,
  }));
  return store;
}

/** The worker as the CLI composes it, minus the update source; `wrapStudio` may instrument calls. */
export function buildWorker(opts: {
  store: ConfigStore;
  engine: Engine;
  wrapStudio?: (api: StudioApi) => StudioApi;
}): Worker {
  const config = opts.store.current();
  return createWorker({
    configStore: opts.store,
    studioFor: (baseUrl, secrets, limits) => {
      const api = createStudioClient({ baseUrl, secrets, ...limits });
      return opts.wrapStudio ? opts.wrapStudio(api) : api;
    },
    engine: opts.engine,
    host: createOsHostProbe(24),
    agentVersion: BENCH_AGENT_VERSION,
    spoolDir: config.spool_dir ?? path.join(path.dirname(opts.store.path), 'spool'),
  });
}

/**
 * An engine that costs what we say: waits `delayMs` (0: answers at once), then returns `result`
 * (default: the tiny PNG). Serves one model of one kind.
 */
export function benchEngine(opts: {
  model: string;
  kind?: TaskKind;
  delayMs?: number;
  result?: EngineResult;
  onRun?: (phase: 'start' | 'end') => void;
}): Engine {
  const result: EngineResult = opts.result ?? { type: 'bytes', ext: 'png', data: TINY_PNG };
  const delayMs = opts.delayMs ?? 0;
  return {
    name: 'bench',
    capabilities: () => ({ [opts.kind ?? 'image']: [opts.model] }),
    async run(_model, _task, signal) {
      opts.onRun?.('start');
      if (delayMs > 0) await delay(delayMs, undefined, { signal });
      opts.onRun?.('end');
      return result;
    },
  };
}

/** Registers a worker with the config in `store` (the credentials land in the config file). */
export function registerWorker(
  store: ConfigStore,
  engine: Engine = benchEngine({ model: 'bench-image' }),
): Promise<Credentials> {
  return buildWorker({ store, engine }).register();
}

/**
 * Resolves with performance.now() as soon as the studio has answered 200 to a heartbeat of
 * `workerId` that arrived after request number `afterSeq`.
 */
export function ackedHeartbeat(
  sim: StudioSim,
  workerId: string,
  afterSeq: number,
): Promise<number> {
  const path = `/graphics/api/workers/${encodeURIComponent(workerId)}/heartbeat`;
  const seen = () =>
    sim
      .requests()
      .some(
        (r) => r.seq > afterSeq && r.route === 'heartbeat' && r.status === 200 && r.path === path,
      );
  return new Promise((resolve) => {
    if (seen()) return resolve(performance.now());
    const off = sim.on('change', () => {
      if (!seen()) return;
      const at = performance.now();
      off();
      resolve(at);
    });
  });
}
