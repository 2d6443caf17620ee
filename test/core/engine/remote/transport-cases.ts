// The wire failures every server-backed engine must handle the same way, as one test list each
// engine's suite runs against its own route: a server that is too slow, a cancelled job, an
// answer over the size limit, a connection that drops, and no server at all.
import { afterEach, expect, it } from 'vitest';
import type { Engine } from '../../../../src/core/engine/engine.js';
import type { Task } from '../../../../src/core/task/task.js';
import { closedPort } from '../../studio/loopback-server.js';
import {
  breakOff,
  declareLength,
  hangUp,
  routedServer,
  streamBytes,
  type Loopback,
  type Route,
} from './server.js';
import { rejection, running } from './rejection.js';

export interface TransportCaseOptions {
  /** The engine's name, as its messages start. */
  engine: string;
  /** `METHOD /path` of the call the task makes. */
  route: string;
  /** Routes the engine needs besides it. */
  otherRoutes?: Record<string, Route>;
  /** A whole, good answer of the route, to break off half-way. */
  goodBody: () => Promise<string>;
  /** The most bytes the route's answer may have. */
  maxBytes: number;
  build: (baseUrl: string, timeoutMs: number) => Engine;
  model: string;
  task: Task;
}

export function transportCases(options: TransportCaseOptions): void {
  const { engine, route, model, task } = options;
  const path = route.split(' ')[1]!;
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(answer: Route): Promise<Loopback> {
    server = await routedServer({ ...options.otherRoutes, [route]: answer });
    return server;
  }

  it('fails naming the URL when the server does not answer within the timeout', async () => {
    const { url } = await start(() => undefined);
    const error = await rejection(options.build(url, 300).run(model, task, running()));
    expect(error.message).toBe(
      `${engine} engine: ${url}${path} did not finish answering within 0.3 s — the server may ` +
        'be busy or stuck; raise timeout_secs in the engine settings if it is only slow',
    );
  });

  it('aborts the HTTP request and rejects with an AbortError when the job is cancelled', async () => {
    let closed = false;
    const { url, received } = await start((_received, res) => {
      res.on('close', () => (closed = true));
    });
    const controller = new AbortController();
    const run = options.build(url, 60_000).run(model, task, controller.signal);
    await expect.poll(() => received.some((r) => `${r.method} ${r.url}` === route)).toBe(true);
    controller.abort(new Error('job timed out'));
    const error = await rejection(run);
    expect(error.name).toBe('AbortError');
    expect(error.message).toBe(`${engine} engine run was aborted (job timed out)`);
    await expect.poll(() => closed).toBe(true);
  });

  it('refuses an answer whose Content-Length is over the limit without reading it', async () => {
    const { url } = await start(declareLength(options.maxBytes + 1));
    const error = await rejection(options.build(url, 10_000).run(model, task, running()));
    expect(error.message).toBe(
      `${engine} engine: ${url}${path} answered 200 with a body of ${options.maxBytes + 1} bytes, ` +
        `over the ${options.maxBytes / 1024 / 1024} MiB limit — refused ` +
        '(is it the right endpoint? is the image too large?)',
    );
  });

  it('refuses a chunked answer that grows over the limit', async () => {
    const { url } = await start(streamBytes(options.maxBytes + 256 * 1024));
    const error = await rejection(options.build(url, 30_000).run(model, task, running()));
    expect(error.message).toMatch(
      new RegExp(
        `^${escape(`${engine} engine: ${url}${path} answered 200 with a body that kept growing`)}` +
          `, over the [\\d.]+ MiB limit — refused`,
      ),
    );
  });

  it('says the server broke off its answer when the connection drops mid-body', async () => {
    const body = await options.goodBody();
    const { url } = await start(breakOff(body, Math.floor(Buffer.byteLength(body) / 2)));
    const error = await rejection(options.build(url, 10_000).run(model, task, running()));
    expect(error.message).toBe(
      `${engine} engine: ${url}${path} broke off its answer after ` +
        `${Math.floor(Buffer.byteLength(body) / 2)} bytes of body (connection closed)`,
    );
  });

  it('says the server closed the connection when it hangs up before answering', async () => {
    const { url } = await start(hangUp);
    const error = await rejection(options.build(url, 10_000).run(model, task, running()));
    expect(error.message).toBe(
      `${engine} engine: ${url}${path} closed the connection without answering`,
    );
  });

  it('says the connection was refused when no server listens at base_url', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const error = await rejection(options.build(url, 10_000).run(model, task, running()));
    expect(error.message).toBe(
      `${engine} engine: could not reach ${url}${path}: connection refused — ` +
        'is the server running? check base_url',
    );
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
