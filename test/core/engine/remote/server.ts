// A real loopback HTTP server that speaks an inference server's routes as each test says: it
// records every request and answers unknown routes like Go's mux (404 text/plain, as Ollama
// does). Built on the studio tests' loopback server.
import type { ServerResponse } from 'node:http';
import { recordingServer, type Loopback, type Received } from '../../studio/loopback-server.js';

export type Route = (received: Received, res: ServerResponse) => void;

/** `routes` keys are `METHOD /path` (query strings are ignored). */
export async function routedServer(routes: Record<string, Route>): Promise<Loopback> {
  return recordingServer((received, res) => {
    const key = `${received.method} ${received.url.split('?')[0]}`;
    const route = Object.hasOwn(routes, key) ? routes[key] : undefined;
    if (route) route(received, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
  });
}

/** Answers with this status and body, as JSON unless a content type is given. */
export function reply(
  status: number,
  body: string | Buffer,
  contentType = 'application/json',
): Route {
  return (_received, res) => void res.writeHead(status, { 'content-type': contentType }).end(body);
}

/** Never answers (the request stays open until the client gives up). */
export const stall: Route = () => undefined;

/** Sends the headers and the first `bytes` of `body`, then destroys the connection. */
export function breakOff(body: string, bytes: number): Route {
  return (_received, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.write(Buffer.from(body).subarray(0, bytes), () => {
      setTimeout(() => res.socket?.destroy(), 20);
    });
  };
}

/** Destroys the connection before answering anything. */
export const hangUp: Route = (_received, res) => void res.socket?.destroy();

/** Declares a body of `declared` bytes, sends a little of it and keeps the connection open. */
export function declareLength(declared: number, contentType = 'application/json'): Route {
  return (_received, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': String(declared) });
    res.write('{');
  };
}

/** Streams `bytes` bytes of JSON-looking data without a Content-Length (chunked). */
export function streamBytes(bytes: number): Route {
  return (_received, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  };
}

export function bodyOf(received: Received): Record<string, unknown> {
  return JSON.parse(received.body.toString('utf8')) as Record<string, unknown>;
}

export type { Loopback, Received };
