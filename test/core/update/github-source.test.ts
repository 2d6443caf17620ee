import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubUpdateSource } from '../../../src/core/update/github-source.js';
import { RELEASE_LIST, feedText } from './fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
const seenUserAgents: string[] = [];

beforeAll(async () => {
  const list = await feedText(RELEASE_LIST);
  const routes: Record<string, Handler> = {
    '/releases': (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(list),
    '/broken': (_req, res) => res.writeHead(500).end('oops'),
    '/garbage': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>'),
    '/not-a-feed': (_req, res) => res.writeHead(200).end('{"message":"Not Found"}'),
    '/moved-here': (_req, res) => res.writeHead(301, { location: '/releases' }).end(),
    '/moved-away': (req, res) =>
      // `localhost` is another host name than the 127.0.0.1 the feed was asked at.
      res.writeHead(302, { location: `http://localhost:${portOf(req)}/releases` }).end(),
    '/silent': () => undefined, // never answers
  };
  server = createServer((req, res) => {
    seenUserAgents.push(req.headers['user-agent'] ?? '');
    const handler = routes[req.url ?? ''];
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function portOf(req: IncomingMessage): number {
  return (req.socket.address() as AddressInfo).port;
}

function sourceAt(route: string, options: { currentVersion?: string; timeoutMs?: number } = {}) {
  return createGithubUpdateSource({
    feedUrl: `${base}${route}`,
    currentVersion: options.currentVersion ?? '1.0.0',
    includePrerelease: false,
    timeoutMs: options.timeoutMs ?? 5000,
  });
}

describe('createGithubUpdateSource', () => {
  it('reports the newest release from a real feed served over HTTP', async () => {
    await expect(sourceAt('/releases').check()).resolves.toEqual({
      kind: 'available',
      version: '9.0.0',
      url: 'https://github.com/deanishe/alfred-workflow-dummy/releases/tag/v9.0',
    });
  });

  it('says up-to-date when no release is newer', async () => {
    await expect(sourceAt('/releases', { currentVersion: '9.0.0' }).check()).resolves.toEqual({
      kind: 'up-to-date',
      currentVersion: '9.0.0',
    });
  });

  it('sends a User-Agent naming the worker and its version, as GitHub requires', async () => {
    await sourceAt('/releases', { currentVersion: '1.2.3' }).check();
    expect(seenUserAgents).toContain('studio-worker/1.2.3');
  });

  it('rejects on an HTTP 500 with the feed URL and the status', async () => {
    await expect(sourceAt('/broken').check()).rejects.toThrow(
      `could not read the update feed at ${base}/broken: HTTP 500 Internal Server Error`,
    );
  });

  it('rejects a body that is not JSON', async () => {
    await expect(sourceAt('/garbage').check()).rejects.toThrow(
      `could not read the update feed at ${base}/garbage: the response is not JSON (starts with "<html>hi</html>")`,
    );
  });

  it('rejects JSON that is not a releases list', async () => {
    await expect(sourceAt('/not-a-feed').check()).rejects.toThrow(
      `could not read the update feed at ${base}/not-a-feed: release feed is not a GitHub releases list: tag_name must be a string (got nothing)`,
    );
  });

  it('follows a redirect on the same host', async () => {
    await expect(sourceAt('/moved-here').check()).resolves.toMatchObject({ version: '9.0.0' });
  });

  it('refuses a redirect to another host', async () => {
    await expect(sourceAt('/moved-away').check()).rejects.toThrow(
      /could not read the update feed at .*\/moved-away: HTTP 302 redirect to another host \(http:\/\/localhost:\d+\)/,
    );
  });

  it('rejects with "connection refused" when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const source = createGithubUpdateSource({
      feedUrl: `http://127.0.0.1:${port}/releases`,
      currentVersion: '1.0.0',
      includePrerelease: false,
    });
    await expect(source.check()).rejects.toThrow(
      `could not read the update feed at http://127.0.0.1:${port}/releases: connection refused (ECONNREFUSED)`,
    );
  });

  it('gives up after the timeout when the feed does not answer', async () => {
    await expect(sourceAt('/silent', { timeoutMs: 300 }).check()).rejects.toThrow(
      `could not read the update feed at ${base}/silent: no answer within 300 ms`,
    );
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const check = sourceAt('/silent').check(controller.signal);
    controller.abort();
    await expect(check).rejects.toThrow('the check was cancelled');
  });

  it('only reports a release on apply: the headless worker installs nothing', async () => {
    const source = sourceAt('/releases');
    await expect(
      source.apply({ kind: 'available', version: '9.0.0', url: 'https://example.com/r' }),
    ).resolves.toEqual({ kind: 'report-only', version: '9.0.0', url: 'https://example.com/r' });
  });

  it('refuses a feed URL that is not http(s), naming the setting', () => {
    expect(() =>
      createGithubUpdateSource({
        feedUrl: 'file:///etc/passwd',
        currentVersion: '1.0.0',
        includePrerelease: false,
      }),
    ).toThrow(
      'the update feed must be an http:// or https:// URL (got "file:///etc/passwd") — check auto_update_feed',
    );
  });

  it('refuses a current version that is not a version at creation', () => {
    expect(() =>
      createGithubUpdateSource({
        feedUrl: `${base}/releases`,
        currentVersion: 'dev',
        includePrerelease: false,
      }),
    ).toThrow('the current version "dev" is not a version like 1.2.3');
  });
});
