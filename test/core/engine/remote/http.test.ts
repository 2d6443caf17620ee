import { afterEach, describe, expect, it } from 'vitest';
import { createServerClient } from '../../../../src/core/engine/remote/http.js';
import { reply, routedServer, type Loopback } from './server.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the server-backed engines’ HTTP client', () => {
  it('quotes the start of an error answer longer than the 16 KiB it reads', async () => {
    const body = `model is overloaded, retry later ${'x'.repeat(20 * 1024)}`;
    server = await routedServer({ 'POST /v1/chat': reply(503, body, 'text/plain') });
    const client = createServerClient({ engine: 'openai', baseUrl: server.url, timeoutMs: 10_000 });
    await expect(
      client.send({ method: 'POST', url: client.url('/v1/chat'), json: {}, maxBytes: 1024 }),
    ).rejects.toThrow(`${server.url}/v1/chat answered 503: model is overloaded, retry later`);
  });
});
