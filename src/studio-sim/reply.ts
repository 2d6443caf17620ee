// What a route handler answers, and how it is written to the socket: a body (JSON, HTML) or a
// file streamed from disk; a body may be trickled out slowly when a fault plan says so.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type Reply =
  | { kind: 'body'; status: number; headers: Record<string, string>; body: Buffer }
  | { kind: 'file'; status: number; path: string; size: number; contentType: string };

const TRICKLE_CHUNK_BYTES = 16;

export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Reply {
  return {
    kind: 'body',
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

/** A JSON error body `{ "error": message }`: what the studio says when it refuses a call. */
export function errorReply(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(status, { error: message }, headers);
}

export function emptyReply(status = 204): Reply {
  return { kind: 'body', status, headers: {}, body: Buffer.alloc(0) };
}

export function htmlReply(html: string): Reply {
  return {
    kind: 'body',
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: Buffer.from(html),
  };
}

/** A reply that streams a file, or a 404 when there is no such regular file. */
export async function fileReply(path: string, contentType: string, what: string): Promise<Reply> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return errorReply(404, `no ${what}`);
  return { kind: 'file', status: 200, path, size: info.size, contentType };
}

export interface SendOptions {
  /** Pause between 16-byte chunks of the body; 0 sends it at once. */
  trickleMs: number;
  signal: AbortSignal;
}

export async function sendReply(
  res: ServerResponse,
  reply: Reply,
  options: SendOptions,
): Promise<void> {
  if (reply.kind === 'file') {
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': String(reply.size),
      'cache-control': 'no-store',
    });
    await pipeline(createReadStream(reply.path), res);
    return;
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  // RFC 9110: no Content-Length on a 204.
  if (reply.status !== 204) headers['content-length'] = String(reply.body.length);
  res.writeHead(reply.status, headers);
  if (options.trickleMs <= 0 || reply.body.length === 0) {
    res.end(reply.body);
    return;
  }
  for (let offset = 0; offset < reply.body.length; offset += TRICKLE_CHUNK_BYTES) {
    if (offset > 0) await sleep(options.trickleMs, undefined, { signal: options.signal });
    if (res.destroyed) return;
    res.write(reply.body.subarray(offset, offset + TRICKLE_CHUNK_BYTES));
  }
  res.end();
}
