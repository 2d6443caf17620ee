// `studio-worker run`: register if needed (retrying while the studio is unreachable), then run
// the loops until SIGINT/SIGTERM; the first signal stops gracefully, a second one at once.
// `--ui` also serves the settings window on loopback (see ../web-bridge/server.ts).
import { detectPortsFromEnv } from '../../core/engine/detect/detect.js';
import { openCliConfig } from '../open-config.js';
import type { Worker } from '../../core/runtime/worker.js';
import { errorMessage } from '../../core/errors/message.js';
import type { Command, CommandContext } from '../command.js';
import { composeWorker } from '../compose.js';
import { UsageError } from '../io.js';
import { consoleSink } from '../log-output.js';
import type { ConfigStore } from '../../core/config/store.js';
import { acquireWorkerLock } from '../../core/runtime/instance-lock.js';
import { publishStatus, statusFolderFor } from '../../core/runtime/status-file.js';
import type { WebBridge } from '../web-bridge/server.js';
import type { WorkerConfig } from '../../core/config/types.js';
import type { ListenAddress } from '../../core/net/listen-address.js';
import {
  DEFAULT_METRICS_HOST,
  parseListenAddress,
  parsePort,
} from '../../core/net/listen-address.js';
import type { MetricsServer } from '../metrics/server.js';
import { startMetricsServer } from '../metrics/server.js';
import { startWebBridge } from '../web-bridge/server.js';
import { whenAborted } from '../when-aborted.js';

/** `--ui-port`: a TCP port, 0 for any free one. Null when the window is not asked for. */
export function uiPortOf(values: CommandContext['values']): number | null {
  const raw = values['ui-port'];
  if (!values.ui) {
    if (raw !== undefined) throw new UsageError('--ui-port needs --ui');
    return null;
  }
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || port > 65_535) {
    throw new UsageError(`--ui-port must be a port number from 0 to 65535 (got ${String(raw)})`);
  }
  return port;
}

/**
 * Where to serve /healthz, /readyz and /metrics: `--metrics-port N` (flag > env > file) on the
 * host of metrics_listen, else loopback; else metrics_listen itself; null when neither is set.
 */
export function metricsListenOf(
  values: CommandContext['values'],
  config: WorkerConfig,
): ListenAddress | null {
  const configured =
    config.metrics_listen === null ? null : parseListenAddress(config.metrics_listen);
  const fromConfig = configured?.kind === 'ok' ? configured.address : null;
  const raw = values['metrics-port'];
  if (raw === undefined) return fromConfig;
  const port = typeof raw === 'string' ? parsePort(raw) : null;
  if (port === null) {
    throw new UsageError(
      `--metrics-port must be a port number from 0 to 65535 (got ${String(raw)})`,
    );
  }
  return { host: fromConfig?.host ?? DEFAULT_METRICS_HOST, port };
}

/**
 * With the window open a failed registration is not the end: the worker keeps running,
 * unregistered, so the user can fix the token or URL there and register from it.
 */
async function registerBesideWindow(worker: Worker, signal: AbortSignal): Promise<void> {
  try {
    await worker.ensureRegistered(signal);
  } catch (error) {
    worker.log.error(
      'register',
      `${worker.log.redact(errorMessage(error))} — fix the settings and register from the window`,
    );
  }
}

export const runCommand: Command = {
  name: 'run',
  usage: 'run [--ui [--ui-port N]] [--metrics-port N]',
  summary:
    'run the worker: register if needed, then heartbeat, claim jobs and ship logs until stopped; --ui also serves the settings window on 127.0.0.1; --metrics-port serves /healthz, /readyz and /metrics (127.0.0.1 unless metrics_listen names a host)',
  options: {
    ui: { type: 'boolean' },
    'ui-port': { type: 'string' },
    'metrics-port': { type: 'string' },
  },
  async run(ctx) {
    const uiPort = uiPortOf(ctx.values);
    const store = await openCliConfig(ctx, { quiet: true }); // the start-up log carries warnings
    // One worker per config: the tray app or another `run` may already work this worker id.
    const lock = await acquireWorkerLock(store.path, 'studio-worker run', {
      folder: statusFolderFor(store.current(), store.path),
    });
    if (lock.kind === 'held') {
      throw new Error(lock.message);
    }
    try {
      return await runLocked(ctx, store, uiPort);
    } finally {
      await lock.release();
    }
  },
};

async function runLocked(
  ctx: CommandContext,
  store: ConfigStore,
  uiPort: number | null,
): Promise<number> {
  const worker = composeWorker({ store, logSinks: [consoleSink(ctx.logFormat, ctx.io.stdout)] });
  const metricsListen = metricsListenOf(ctx.values, store.current());
  // Up before registering: a liveness probe must see the worker alive while it waits for the
  // studio, and readiness says why it is not ready yet.
  let metrics: MetricsServer | null = null;
  if (metricsListen !== null) {
    metrics = await startMetricsServer({ worker, listen: metricsListen }).catch(
      (error: unknown) => {
        throw new Error(
          `could not serve metrics on ${metricsListen.host}:${metricsListen.port}: ${errorMessage(error)} — choose another --metrics-port or metrics_listen`,
        );
      },
    );
    ctx.io.stdout(`studio-worker: health and metrics at ${metrics.origin}/metrics\n`);
  }
  let bridge: WebBridge | null = null;
  try {
    if (uiPort === null) {
      const creds = await worker.ensureRegistered(ctx.stopSignal);
      if (!creds) return 0; // stopped while waiting for the studio
      await worker.start();
    } else {
      bridge = await startWebBridge({
        worker,
        host: { detectPorts: detectPortsFromEnv(ctx.io.env) },
        port: uiPort,
      }).catch((error: unknown) => {
        throw new Error(
          `could not serve the settings window on 127.0.0.1:${uiPort}: ${errorMessage(error)} — choose another --ui-port (0 for any free one)`,
        );
      });
      // The URL holds the token: it is printed here, once, and never logged.
      ctx.io.stdout(`studio-worker: settings window at ${bridge.url}\n`);
      await worker.start();
      void registerBesideWindow(worker, ctx.stopSignal);
    }
    const stopPublishing = publishStatus(
      statusFolderFor(store.current(), store.path),
      worker.observers,
    );
    await whenAborted(ctx.stopSignal);
    const forced = whenAborted(ctx.forceStopSignal).then(() => 'forced' as const);
    const result = await Promise.race([worker.stop().then(() => 'stopped' as const), forced]);
    await stopPublishing();
    if (result === 'forced') {
      ctx.io.stderr(
        'studio-worker: stopped at once (second signal); finished results stay in the spool\n',
      );
      return 1;
    }
    return 0;
  } finally {
    await bridge?.close();
    await metrics?.close();
  }
}
