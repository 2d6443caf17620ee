// Connections to the studio outlive the heartbeat interval: two calls 5 s apart (the default
// heartbeat) travel on one TCP connection, not a new handshake each time.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createStudioClient } from '../../../src/core/studio/client.js';
import { creds } from './fixtures.js';

describe('studio client connections', () => {
  it('reuses the connection for a call made a heartbeat interval after the last', async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    // A studio that keeps idle connections long, and says so in no Keep-Alive hint shorter
    // than the client's own (Node's default hint, 5 s, would cap it).
    server.keepAliveTimeout = 0;
    server.on('connection', () => (connections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createStudioClient({ baseUrl: url, timeoutMs: 2_000 });
    const line = {
      ts: '2026-12-04T00:00:00.000Z',
      level: 'info' as const,
      category: 't',
      message: 'm',
    };
    try {
      await client.shipLogs(creds, [line]);
      // Real time: undici's idle-socket timer is real; 5 s is the default heartbeat interval.
      await new Promise((r) => setTimeout(r, 5_000));
      await client.shipLogs(creds, [line]);
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 15_000);
});
