// The health and metrics endpoints of `studio-worker run` (--metrics-port or metrics_listen):
// /healthz (liveness), /readyz (readiness), /metrics (Prometheus text). Loopback unless the
// operator names another address, as a container does with 0.0.0.0. Like the web bridge it has
// bounded request timeouts and closes every connection on stop; unlike it there is no token,
// since a scraper or kubelet cannot carry one — so nothing here may reveal a secret or a prompt.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProbeAnswer } from '../../core/health/probes.js';
import { livenessOf, readinessOf } from '../../core/health/probes.js';
import type { ListenAddress } from '../../core/net/listen-address.js';
import type { Clock } from '../../core/runtime/clock.js';
import { systemClock } from '../../core/runtime/clock.js';
import type { Worker } from '../../core/runtime/worker.js';
import { isLoopbackHost } from '../../core/net/loopback.js';
import { hostnameOf } from '../web-bridge/guard.js';
import { createWorkerMetrics } from './registry.js';

export interface MetricsServerOptions {
  worker: Worker;
  listen: ListenAddress;
  /** The clock the loops record their phases with (tests pass a manual one). */
  clock?: Clock;
}

export interface MetricsServer {
  /** `http://host:port`, for logs and tests. */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function probeText(answer: ProbeAnswer): string {
  return answer.ok ? `${answer.detail}\n` : `${answer.reasons.join('\n')}\n`;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { worker } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createWorkerMetrics(worker);

  // On loopback, as the web bridge does: a request addressed to another name is a page in a
  // browser on this machine reaching in through DNS rebinding, not a scraper.
  const loopbackOnly = isLoopbackHost(options.listen.host);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const hostname = hostnameOf(req.headers.host ?? '');
    if (loopbackOnly && (hostname === null || !isLoopbackHost(hostname))) {
      return sendText(res, 403, 'refused: foreign Host header\n');
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendText(res, 405, 'only GET and HEAD\n');
    }
    const { pathname } = new URL(req.url ?? '/', 'http://metrics');
    switch (pathname) {
      case '/healthz': {
        const answer = livenessOf(
          worker.loopActivity.current(),
          clock.now(),
          worker.configStore.current(),
        );
        return sendText(res, answer.ok ? 200 : 503, probeText(answer));
      }
      case '/readyz': {
        const answer = readinessOf(worker.observers.snapshot());
        return sendText(res, answer.ok ? 200 : 503, probeText(answer));
      }
      case '/metrics': {
        const text = await metrics.registry.metrics();
        return sendText(res, 200, text, metrics.registry.contentType);
      }
      default:
        return sendText(res, 404, 'not found: try /healthz, /readyz or /metrics\n');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      worker.log.error('metrics', `metrics endpoint: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.end();
    });
  });
  server.headersTimeout = 10_000;
  // Scrapers and probes hold a few connections; a flood of idle ones is refused.
  server.maxConnections = 64;
  server.requestTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listen.port, options.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    metrics.dispose();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
  return {
    origin: `http://${host}:${port}`,
    port,
    close: async () => {
      metrics.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
