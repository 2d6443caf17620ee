import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioApi, StudioOp } from '../../../src/core/studio/api.js';
import { createStudioClient } from '../../../src/core/studio/client.js';
import { StudioError } from '../../../src/core/studio/errors.js';
import { capabilities, creds } from './fixtures.js';
import {
  answer,
  closedPort,
  rawServer,
  recordingServer,
  type Loopback,
} from './loopback-server.js';
import { tempFiles } from './temp-files.js';

let server: Loopback | undefined;
const files = tempFiles('studio-errors-');
afterEach(async () => {
  await server?.close();
  server = undefined;
  await files.cleanup();
});

async function studio(respond: Parameters<typeof recordingServer>[0]) {
  server = await recordingServer(respond);
  return createStudioClient({ baseUrl: server.url, timeoutMs: 2000 });
}

async function failure(call: Promise<unknown>): Promise<StudioError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

const heartbeat = (client: StudioApi) => client.heartbeat(creds, { capabilities });

describe('http errors', () => {
  it('formats a non-2xx as "<op> failed: <status> <reason> — <body>"', async () => {
    const client = await studio(answer(500, '  boom\n'));
    const error = await failure(heartbeat(client));
    expect(error.message).toBe('heartbeat failed: 500 Internal Server Error — boom');
    expect(error).toMatchObject({ op: 'heartbeat', kind: 'http', status: 500 });
  });

  it('names each route by its protocol op', async () => {
    const file = await files.file('r.png', 'png');
    const client = await studio(answer(500, 'x'));
    const calls: Record<StudioOp, () => Promise<unknown>> = {
      register: () => client.register({ bootstrapToken: 'boot-1', capabilities }),
      heartbeat: () => heartbeat(client),
      claim: () => client.claim(creds),
      complete: () => client.complete(creds, 'j', { prompt: 'p', ext: 'png', filePath: file }),
      'complete-json': () => client.completeJson(creds, 'j', { prompt: 'p', result: 1 }),
      fail: () => client.fail(creds, 'j', { error: 'e', retryable: true }),
      'log ship': () => client.shipLogs(creds, []),
    };
    for (const [op, call] of Object.entries(calls)) {
      const error = await failure(call());
      expect(error.op).toBe(op);
      expect(error.message).toBe(`${op} failed: 500 Internal Server Error — x`);
    }
  });

  it('collapses whitespace and cuts a long body to 500 characters', async () => {
    const client = await studio(answer(502, `<h1>\n  Bad</h1>${'y'.repeat(2000)}`));
    const error = await failure(heartbeat(client));
    const body = error.message.split(' — ')[1]!;
    expect(body.startsWith('<h1> Bad</h1>yyy')).toBe(true);
    expect(Array.from(body)).toHaveLength(501);
    expect(body.endsWith('…')).toBe(true);
  });

  it('says "(empty body)" when the error has none', async () => {
    const client = await studio(answer(503));
    const error = await failure(heartbeat(client));
    expect(error.message).toBe('heartbeat failed: 503 Service Unavailable — (empty body)');
  });

  it('treats 500 as transient', async () => {
    const client = await studio(answer(500));
    const error = await failure(heartbeat(client));
    expect([error.transient, error.credentialsRejected, error.gone]).toEqual([true, false, false]);
  });

  it('reads Retry-After seconds on a 429 into retryAfterMs', async () => {
    const client = await studio(answer(429, 'slow down', { 'retry-after': '7' }));
    const error = await failure(heartbeat(client));
    expect(error.message).toBe('heartbeat failed: 429 Too Many Requests — slow down');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.transient).toBe(true);
  });

  it('reads a Retry-After HTTP date on a 408 into retryAfterMs', async () => {
    const at = new Date(Date.now() + 60_000);
    const client = await studio(answer(408, '', { 'retry-after': at.toUTCString() }));
    const error = await failure(heartbeat(client));
    expect(error.transient).toBe(true);
    // HTTP dates have whole seconds, and the call itself takes a moment.
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('leaves retryAfterMs undefined without a readable Retry-After', async () => {
    const client = await studio(answer(503, '', { 'retry-after': 'soon' }));
    const error = await failure(heartbeat(client));
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each([401, 403])('marks %i as credentials rejected, not transient', async (status) => {
    const client = await studio(answer(status, 'no'));
    const error = await failure(heartbeat(client));
    expect([error.credentialsRejected, error.transient, error.gone]).toEqual([true, false, false]);
  });

  it.each([404, 409, 410])('marks %i as gone, not transient', async (status) => {
    const client = await studio(answer(status, 'unknown job'));
    const error = await failure(client.fail(creds, 'j', { error: 'e', retryable: true }));
    expect([error.gone, error.transient, error.credentialsRejected]).toEqual([true, false, false]);
  });

  it('treats 400 as neither transient, rejected nor gone', async () => {
    const client = await studio(answer(400, 'bad request'));
    const error = await failure(heartbeat(client));
    expect(error.message).toBe('heartbeat failed: 400 Bad Request — bad request');
    expect([error.transient, error.credentialsRejected, error.gone]).toEqual([false, false, false]);
  });
});

describe('secrets', () => {
  const echoAuthorization = (r: { headers: { authorization?: string } }, res: ServerResponse) =>
    void res.writeHead(401).end(`bad header: ${r.headers.authorization}`);

  it('redacts the auth token the studio echoes in its error body', async () => {
    const client = await studio(echoAuthorization);
    const error = await failure(heartbeat(client));
    expect(error.message).toBe(
      'heartbeat failed: 401 Unauthorized — bad header: Bearer <redacted>',
    );
  });

  it('redacts the bootstrap token the studio echoes on register', async () => {
    const client = await studio(echoAuthorization);
    const error = await failure(client.register({ bootstrapToken: 'boot-secret', capabilities }));
    expect(error.message).not.toContain('boot-secret');
    expect(error.message).toContain('Bearer <redacted>');
  });

  it('redacts every string of the secrets option, also when JSON-escaped', async () => {
    server = await recordingServer(
      answer(500, JSON.stringify({ config: 'other"secret', key: 'sk-live-42' })),
    );
    const client = createStudioClient({
      baseUrl: server.url,
      secrets: () => ['sk-live-42', 'other"secret'],
    });
    const error = await failure(heartbeat(client));
    expect(error.message).toBe(
      'heartbeat failed: 500 Internal Server Error — {"config":"<redacted>","key":"<redacted>"}',
    );
  });
});

describe('network errors and timeouts', () => {
  it('reports a refused connection as a network error that says what to check', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const client = createStudioClient({ baseUrl });
    const error = await failure(heartbeat(client));
    expect(error.message).toBe(
      `heartbeat failed: could not reach the studio at ${baseUrl}: connection refused — check api_base_url`,
    );
    expect(error).toMatchObject({ kind: 'network', status: undefined });
    expect(error.transient).toBe(true);
  });

  it('reports a studio that never answers as a timeout after timeoutMs, naming the setting', async () => {
    server = await rawServer(() => undefined);
    const client = createStudioClient({ baseUrl: server.url, timeoutMs: 300 });
    const started = Date.now();
    const error = await failure(client.claim(creds));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message).toBe(
      `claim failed: the studio at ${server.url} did not answer in full within 0.3 s — check the studio, or raise request_timeout_secs`,
    );
    expect(error.kind).toBe('timeout');
    expect(error.transient).toBe(true);
  });

  it('reports a claim answer whose body stalls as a timeout', async () => {
    server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jobId":');
    });
    const client = createStudioClient({ baseUrl: server.url, timeoutMs: 300 });
    const error = await failure(client.claim(creds));
    expect(error.kind).toBe('timeout');
  });

  it('reports a connection the studio drops as a network error', async () => {
    server = await rawServer((req) => req.socket.destroy());
    const client = createStudioClient({ baseUrl: server.url });
    const error = await failure(heartbeat(client));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(
      new RegExp(
        `^heartbeat failed: could not reach the studio at ${server.url}: .+ — check api_base_url$`,
      ),
    );
  });
});
