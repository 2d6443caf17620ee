// A real HTTP server on 127.0.0.1 for the studio client's tests: records what arrives and
// answers as each test says. Not a studio; just the other end of the wire.
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Loopback {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A server whose handler sees the raw request (for streaming, stalling, hanging up). */
export async function rawServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Loopback> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: [],
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A server that reads each request whole, records it, then lets `respond` answer. */
export async function recordingServer(
  respond: (received: Received, res: ServerResponse) => void = (_r, res) =>
    void res.writeHead(204).end(),
): Promise<Loopback> {
  const received: Received[] = [];
  const loopback = await rawServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      respond(entry, res);
    });
  });
  return { ...loopback, received };
}

/** Answers every request with this status, headers and body. */
export function answer(
  status: number,
  body = '',
  headers: Record<string, string> = {},
): (received: Received, res: ServerResponse) => void {
  return (_received, res) => void res.writeHead(status, headers).end(body);
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
