// The web bridge of `studio-worker run --ui`: the built settings window and the same bridge the
// Electron preload exposes (snapshot stream + commands) over loopback HTTP, behind a token.
// Commands pass core's one schema (parseCommand) and are applied by applyCommand.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CommandResult } from '../../shared/bridge.js';
import type { CommandHost } from '../../core/control/commands.js';
import { applyCommand, parseCommand } from '../../core/control/commands.js';
import type { Worker } from '../../core/runtime/worker.js';
import { checkRequest } from './guard.js';
import { serveStatic } from './static-files.js';
import { SNAPSHOT_INTERVAL_MS } from '../../core/runtime/coalescer.js';
import { streamSnapshots } from './snapshot-stream.js';

/** dist/renderer, from src/cli/web-bridge (tests) and dist/cli/web-bridge (built) alike. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(
  new URL('../../../dist/renderer', import.meta.url),
);

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 15_000;

/** Every answer: no caching, no framing, no referrer (the page URL holds the token). */
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

export interface WebBridgeOptions {
  worker: Worker;
  host: CommandHost;
  /** 0 picks a free port. */
  port: number;
  rendererDir?: string;
  /** Default: 32 random bytes. Tests pass their own. */
  token?: string;
  maxBodyBytes?: number;
  snapshotIntervalMs?: number;
}

export interface WebBridge {
  /** The page to open, with the token in the query: show it once, to the user who started it. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: CommandResult): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handleCommand(
  req: IncomingMessage,
  res: ServerResponse,
  opts: Required<Pick<WebBridgeOptions, 'worker' | 'host' | 'maxBodyBytes'>>,
): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 415, { ok: false, error: 'commands must be sent as application/json' });
  }
  let text: string;
  try {
    text = await readBody(req, opts.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, {
        ok: false,
        error: `command too large (limit ${opts.maxBodyBytes} bytes)`,
      });
    }
    throw error;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return sendJson(res, 400, { ok: false, error: 'invalid command: the body is not JSON' });
  }
  const parsed = parseCommand(payload);
  if (!parsed.ok) return sendJson(res, 400, { ok: false, error: parsed.error });
  sendJson(res, 200, await applyCommand(opts.worker, opts.host, parsed.command));
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const streams = new Set<() => void>();
  let cookieName = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const verdict = checkRequest(req, { token, cookieName });
    if (verdict.kind === 'refused') {
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`refused: ${verdict.reason}\n`);
      return;
    }
    if (verdict.via === 'query') {
      // The page's own requests (scripts, styles, the stream, commands) carry this instead.
      res.setHeader('set-cookie', `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    const { pathname } = new URL(req.url ?? '/', 'http://loopback');
    const method = req.method ?? 'GET';
    if (pathname === '/api/events' && method === 'GET') {
      const end = streamSnapshots(res, options.worker.observers, {
        minIntervalMs: options.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS,
        keepAliveMs: KEEP_ALIVE_MS,
      });
      streams.add(end);
      res.on('close', () => streams.delete(end));
      return;
    }
    if (pathname === '/api/command' && method === 'POST') {
      return handleCommand(req, res, { worker: options.worker, host: options.host, maxBodyBytes });
    }
    if (pathname.startsWith('/api/') || (method !== 'GET' && method !== 'HEAD')) {
      res.writeHead(method === 'GET' || method === 'POST' ? 404 : 405, {
        'content-type': 'text/plain; charset=utf-8',
      });
      res.end('not found\n');
      return;
    }
    await serveStatic(res, rendererDir, pathname, method === 'HEAD');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.worker.log.error('ui', `web bridge: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Cookies are per host, not per port: two workers on one machine must not share one.
  cookieName = `studio-worker-ui-${port}`;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    close: async () => {
      for (const end of streams) end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
