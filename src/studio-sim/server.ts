// The sim's HTTP side: routes each request, applies the fault plan, runs the route's handler,
// writes its reply and records the request. Closing it ends every open connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimContext } from './context.js';
import type { FaultDecision, FaultInjector, FaultKind } from './faults.js';
import { drain } from './http-body.js';
import { handleComplete, handleCompleteJson, handleFail } from './job-routes.js';
import { handlePage, handleReleases, handleResultFile, handleUpdateFile } from './read-routes.js';
import { errorReply, sendReply, type Reply } from './reply.js';
import type { RequestLog } from './requests.js';
import { matchRoute, methodOf, type RouteMatch } from './routes.js';
import { handleClaim, handleHeartbeat, handleLogs, handleRegister } from './worker-routes.js';

export interface ServerDeps {
  ctx: SimContext;
  faults: FaultInjector;
  requests: RequestLog;
  log: (line: string) => void;
  /** Aborted when the sim closes: ends injected delays and trickles. */
  signal: AbortSignal;
}

export async function listen(
  deps: ServerDeps,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => void handleRequest(deps, req, res));
  // As a studio behind a typical reverse proxy (nginx keeps idle connections 75 s): long enough
  // for a worker to reuse its connection from one heartbeat to the next. Node's default is 5 s.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Stops listening and destroys every connection, idle, busy or hung. */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

async function handleRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://studio-sim').pathname;
  const match = matchRoute(path);
  const record = deps.requests.start(method, path, match.route);
  res.on('close', () => {
    const done = record.finish(res.headersSent ? res.statusCode : null);
    const fault = done.fault ? ` [fault: ${done.fault}]` : '';
    deps.log(`${method} ${path} → ${done.status ?? 'no response'} (${done.durationMs} ms)${fault}`);
  });
  try {
    const wrongMethod = !acceptsMethod(match, method);
    // A call with the wrong method is no call of the route: only an outage reaches it.
    const decision = deps.faults.decide(wrongMethod ? 'unknown' : match.route);
    const faulted = await applyFault(deps, decision, req, res, record.setFault);
    if (faulted === 'answered') return;
    const reply = wrongMethod
      ? await wrongMethodReply(match, method, req)
      : await routeReply(deps.ctx, match, req, path);
    if (faulted === 'drop-after-effect') {
      req.socket.destroy();
      return;
    }
    await sendReply(res, reply, { trickleMs: decision.trickleMs, signal: deps.signal });
  } catch (error) {
    if (deps.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    deps.log(`${method} ${path} failed inside the sim: ${message}`);
    if (res.headersSent) res.destroy();
    else {
      await sendReply(res, errorReply(500, `studio sim failed on ${match.route}: ${message}`), {
        trickleMs: 0,
        signal: deps.signal,
      }).catch(() => res.destroy());
    }
  }
}

/**
 * Carries out the fault decided for this request. Everything but `after-effect` happens
 * before the handler runs, so the call's side effect is never applied.
 */
async function applyFault(
  deps: ServerDeps,
  decision: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  setFault: (kind: FaultKind) => void,
): Promise<'answered' | 'drop-after-effect' | 'none'> {
  const { action } = decision;
  if (decision.delayMs > 0) await sleep(decision.delayMs, undefined, { signal: deps.signal });
  switch (action.kind) {
    case 'none':
      return 'none';
    case 'outage':
    case 'drop':
      setFault(action.kind);
      req.socket.destroy();
      return 'answered';
    case 'hang':
      // Never answer: the client times out, or close() ends the connection.
      setFault(action.kind);
      return 'answered';
    case 'status': {
      setFault(action.kind);
      await drain(req);
      const headers: Record<string, string> =
        action.retryAfterSecs === undefined ? {} : { 'retry-after': String(action.retryAfterSecs) };
      const reply = errorReply(action.code, `injected fault: status ${action.code}`, headers);
      await sendReply(res, reply, { trickleMs: 0, signal: deps.signal });
      return 'answered';
    }
    case 'truncate':
      setFault(action.kind);
      await drain(req);
      sendTruncated(res);
      return 'answered';
    case 'malformed': {
      setFault(action.kind);
      await drain(req);
      const reply: Reply = {
        kind: 'body',
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from('{"jobId": "job-?", "model": <<garbled by an injected fault>>'),
      };
      await sendReply(res, reply, { trickleMs: 0, signal: deps.signal });
      return 'answered';
    }
    case 'after-effect':
      setFault(action.kind);
      return 'drop-after-effect';
  }
}

/** Promises a full JSON body in Content-Length, sends half of it, then closes the connection. */
function sendTruncated(res: ServerResponse): void {
  const full = Buffer.from(
    JSON.stringify({ jobId: 'job-truncated', note: 'this body is cut short by an injected fault' }),
  );
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(full.length),
  });
  res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.destroy());
}

function acceptsMethod(match: RouteMatch, method: string): boolean {
  if (match.route === 'unknown') return true;
  const expected = methodOf(match.route);
  return method === expected || (expected === 'GET' && method === 'HEAD');
}

async function wrongMethodReply(
  match: RouteMatch,
  method: string,
  req: IncomingMessage,
): Promise<Reply> {
  await drain(req);
  const expected = methodOf(match.route);
  return errorReply(405, `${match.route} takes ${expected}, not ${method}`, {
    allow: expected === 'GET' ? 'GET, HEAD' : 'POST',
  });
}

async function routeReply(
  ctx: SimContext,
  match: RouteMatch,
  req: IncomingMessage,
  path: string,
): Promise<Reply> {
  switch (match.route) {
    case 'register':
      return handleRegister(ctx, req);
    case 'heartbeat':
      return handleHeartbeat(ctx, req, match.workerId);
    case 'claim':
      return handleClaim(ctx, req, match.workerId);
    case 'logs':
      return handleLogs(ctx, req, match.workerId);
    case 'complete':
      return handleComplete(ctx, req, match.workerId, match.jobId);
    case 'complete-json':
      return handleCompleteJson(ctx, req, match.workerId, match.jobId);
    case 'fail':
      return handleFail(ctx, req, match.workerId, match.jobId);
    case 'releases':
      return handleReleases(ctx);
    case 'page':
      return handlePage(ctx);
    case 'result-file':
      return handleResultFile(ctx, match.jobId);
    case 'updates':
      return handleUpdateFile(ctx, match.file);
    case 'unknown':
      await drain(req);
      return errorReply(404, `no route ${req.method ?? 'GET'} ${path}`);
  }
}
