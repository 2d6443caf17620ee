import { readdirSync, readlinkSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudioClient } from '../../../src/core/studio/client.js';
import { StudioError } from '../../../src/core/studio/errors.js';
import { contentTypeCases, creds } from './fixtures.js';
import { tempFiles } from './temp-files.js';
import { answer, rawServer, recordingServer, type Loopback } from './loopback-server.js';
import { parseMultipart } from './multipart-parse.js';

let server: Loopback | undefined;
const files = tempFiles('studio-upload-');
const resultFile = files.file;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await files.cleanup();
});

/** The paths this process has open (Linux). */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

describe('complete', () => {
  it('posts prompt, ext and the file part image named <jobId>.<ext>', async () => {
    server = await recordingServer(answer(200, 'ok'));
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('out.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    await client.complete(creds, 'j-1', { prompt: 'a red fox', ext: 'png', filePath });
    const [r] = server.received;
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe('/graphics/api/workers/w-1/jobs/j-1/complete');
    expect(r!.headers.authorization).toBe('Bearer tok-secret-123');
    expect(r!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=.+/);
    expect(r!.headers['content-length']).toBe(String(r!.body.length));
    expect(r!.headers['transfer-encoding']).toBeUndefined();
    const parts = await parseMultipart(r!.headers, r!.body);
    expect(parts.map((p) => [p.name, p.filename, p.mimeType])).toEqual([
      ['prompt', undefined, undefined],
      ['ext', undefined, undefined],
      ['image', 'j-1.png', 'image/png'],
    ]);
    expect(parts[0]!.value.toString()).toBe('a red fox');
    expect(parts[1]!.value.toString()).toBe('png');
    expect(parts[2]!.value).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
  });

  it.each(contentTypeCases)('sends a .%s result as %s', async (ext, type) => {
    server = await recordingServer();
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile(`out.${ext}`, 'bytes');
    await client.complete(creds, 'j-2', { prompt: 'p', ext, filePath });
    const [r] = server.received;
    const image = (await parseMultipart(r!.headers, r!.body)).find((p) => p.name === 'image');
    expect([image?.filename, image?.mimeType]).toEqual([`j-2.${ext}`, type]);
  });

  it('sends a multi-line prompt with its line feeds unchanged', async () => {
    server = await recordingServer();
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('out.webp', 'x');
    await client.complete(creds, 'j-1', { prompt: 'one\ntwo', ext: 'webp', filePath });
    const [r] = server.received;
    const prompt = (await parseMultipart(r!.headers, r!.body)).find((p) => p.name === 'prompt');
    expect(prompt?.value.toString()).toBe('one\ntwo');
  });

  it('uploads an empty result file as an empty image part', async () => {
    server = await recordingServer();
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('empty.wav');
    await client.complete(creds, 'j-1', { prompt: '', ext: 'wav', filePath });
    const [r] = server.received;
    const image = (await parseMultipart(r!.headers, r!.body)).find((p) => p.name === 'image');
    expect(image?.value.length).toBe(0);
  });

  it('url-encodes the job id in the path but keeps it raw in the file name', async () => {
    server = await recordingServer();
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('out.png', 'x');
    await client.complete(creds, 'j 1/2', { prompt: 'p', ext: 'png', filePath });
    const [r] = server.received;
    expect(r!.url).toBe('/graphics/api/workers/w-1/jobs/j%201%2F2/complete');
    const image = (await parseMultipart(r!.headers, r!.body)).find((p) => p.name === 'image');
    expect(image?.filename).toBe('j 1/2.png');
  });

  it('fails with a plain Error naming the file, without calling the studio, when it is missing', async () => {
    server = await recordingServer();
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = join(tmpdir(), 'studio-worker-missing-result.png');
    const error: unknown = await client
      .complete(creds, 'j-1', { prompt: 'p', ext: 'png', filePath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StudioError);
    expect((error as Error).message).toMatch(
      new RegExp(`^complete failed: cannot read the result file ${filePath}: .*ENOENT`),
    );
    expect(server.received).toHaveLength(0);
  });

  it('reports a 409 answered before the upload was read as gone', async () => {
    server = await rawServer((_req, res) => void res.writeHead(409).end('job already done'));
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('out.png', Buffer.alloc(64 * 1024, 1));
    const error = await client
      .complete(creds, 'j-1', { prompt: 'p', ext: 'png', filePath })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ op: 'complete', kind: 'http', status: 409, gone: true });
    expect((error as Error).message).toBe('complete failed: 409 Conflict — job already done');
  });

  it('times out an upload the studio stops reading after timeoutMs without progress', async () => {
    server = await rawServer((req) => req.pause());
    // The slowest link allowed is fast here, so the stall is noticed about 0.4 s after it starts.
    const client = createStudioClient({
      baseUrl: server.url,
      timeoutMs: 400,
      uploadBytesPerSec: 64 * 1024 * 1024,
    });
    const filePath = await resultFile('big.mp4');
    await truncate(filePath, 256 * 1024 * 1024);
    const error = await client
      .complete(creds, 'j-1', { prompt: 'p', ext: 'mp4', filePath })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ op: 'complete', kind: 'timeout', transient: true });
    expect((error as Error).message).toMatch(
      /^complete failed: the studio at \S+ took the upload slower than 65536 KiB\/s, or sent no answer 0\.4 s after it — check the studio, or raise request_timeout_secs$/,
    );
  });

  it.skipIf(process.platform !== 'linux')(
    'closes the result file when an upload times out',
    async () => {
      server = await rawServer((req) => req.pause());
      const client = createStudioClient({
        baseUrl: server.url,
        timeoutMs: 300,
        uploadBytesPerSec: 64 * 1024 * 1024,
      });
      const filePath = await resultFile('stuck.mp4');
      await truncate(filePath, 256 * 1024 * 1024);
      const error = await client
        .complete(creds, 'j-1', { prompt: 'p', ext: 'mp4', filePath })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(openFiles()).not.toContain(filePath);
    },
  );

  it('streams a 200 MB result from disk without holding it in memory', async () => {
    const size = 200 * 1024 * 1024;
    let received = 0;
    server = await rawServer((req, res) => {
      req.on('data', (chunk: Buffer) => (received += chunk.length));
      req.on('end', () => void res.writeHead(204).end());
    });
    const client = createStudioClient({ baseUrl: server.url });
    const filePath = await resultFile('big.mp4');
    await truncate(filePath, size); // sparse: costs no disk space
    // A small upload first, so code loading and buffer pools are not counted as growth.
    const warmUp = await resultFile('small.mp4', Buffer.alloc(1024 * 1024));
    await client.complete(creds, 'j-0', { prompt: 'p', ext: 'mp4', filePath: warmUp });
    received = 0;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      await client.complete(creds, 'j-1', { prompt: 'p', ext: 'mp4', filePath });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(received).toBeGreaterThan(size);
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  });
});
