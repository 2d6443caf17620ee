// Every studio call has a deadline over the whole of it (headers and body), which a studio
// that trickles its answer cannot stretch, uploads get more time per byte, and a stop signal
// ends a call at once. Real time: real loopback servers, with deadlines of a fraction of a second.
import { truncate } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudioClient } from '../../../src/core/studio/client.js';
import { StudioError } from '../../../src/core/studio/errors.js';
import { creds } from './fixtures.js';
import { rawServer, type Loopback } from './loopback-server.js';
import { tempFiles } from './temp-files.js';

let server: Loopback | undefined;
const timers: NodeJS.Timeout[] = [];
const files = tempFiles('studio-deadline-');
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  await server?.close();
  server = undefined;
  await files.cleanup();
});

async function failure(call: Promise<unknown>): Promise<StudioError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

/** A studio that reads a request's body slowly (64 KiB chunks, 20 ms apart), then answers 204. */
function slowReader() {
  return rawServer((req, res) => {
    req.on('data', () => {
      req.pause();
      setTimeout(() => req.resume(), 20);
    });
    req.on('end', () => void res.writeHead(204).end());
  });
}

describe('the deadline of a call', () => {
  it('ends a claim whose answer trickles in a byte at a time', async () => {
    server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each byte comes well within the idle timeout, so only a deadline over the whole ends it.
      timers.push(setInterval(() => res.write(' '), 50));
    });
    const client = createStudioClient({ baseUrl: server.url, timeoutMs: 300 });
    const started = Date.now();
    const error = await failure(client.claim(creds));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ op: 'claim', kind: 'timeout', transient: true });
    expect(error.message).toBe(
      `claim failed: the studio at ${server.url} did not answer in full within 0.3 s — check the studio, or raise request_timeout_secs`,
    );
  });

  it('reads the deadline per call, so a changed request_timeout_secs applies at once', async () => {
    server = await rawServer(() => undefined);
    let timeoutMs = 5_000;
    const client = createStudioClient({ baseUrl: server.url, timeoutMs: () => timeoutMs });
    timeoutMs = 200;
    const error = await failure(client.claim(creds));
    expect(error.message).toContain('within 0.2 s');
  });

  it('gives an upload the request timeout plus time for its size at the slowest link allowed', async () => {
    server = await slowReader();
    const filePath = await files.file('two.mp4');
    await truncate(filePath, 2 * 1024 * 1024); // ~0.7 s at the reader's pace, past the 0.3 s
    const client = createStudioClient({ baseUrl: server.url, timeoutMs: 300 });
    await client.complete(creds, 'j-1', { prompt: 'p', ext: 'mp4', filePath });
  });

  it('ends an upload the studio reads slower than the slowest link allowed', async () => {
    server = await slowReader();
    const filePath = await files.file('slow.mp4');
    await truncate(filePath, 8 * 1024 * 1024);
    // At 16 MiB/s 8 MiB take 0.5 s; the reader needs about 2.5 s.
    const client = createStudioClient({
      baseUrl: server.url,
      timeoutMs: 300,
      uploadBytesPerSec: 16 * 1024 * 1024,
    });
    const started = Date.now();
    const error = await failure(
      client.complete(creds, 'j-1', { prompt: 'p', ext: 'mp4', filePath }),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ op: 'complete', kind: 'timeout', transient: true });
    // Whichever notices first: the watch on its pace, or the deadline over the whole upload.
    expect(error.message).toMatch(
      /^complete failed: the studio at \S+ (took the upload slower than 16384 KiB\/s, or sent no answer 0\.3 s after it|did not answer in full within 0\.8 s \(request_timeout_secs plus 1 s per 16384 KiB sent\)) — check the studio, or raise request_timeout_secs$/,
    );
  });
});

describe('a stop', () => {
  it('ends a call in flight at once, as a stopped call (transient: the result stays)', async () => {
    let arrived: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (arrived = resolve));
    server = await rawServer(() => arrived());
    const stop = new AbortController();
    const client = createStudioClient({
      baseUrl: server.url,
      timeoutMs: 60_000,
      signal: () => stop.signal,
    });
    const call = failure(client.claim(creds));
    await seen;
    stop.abort();
    const error = await call;
    expect(error).toMatchObject({ op: 'claim', kind: 'stopped', transient: true });
    expect(error.message).toBe('claim stopped: the worker is shutting down');
  });
});
