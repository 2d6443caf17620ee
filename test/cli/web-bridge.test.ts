// The web bridge over plain HTTP: the token, the Host and Origin checks, the body cap, commands
// through core's schema, the snapshot stream, the static files.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot.js';
import type { WebBridge } from '../../src/cli/web-bridge/server.js';
import { startWebBridge } from '../../src/cli/web-bridge/server.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness, tempDir } from '../helpers/harness.js';
import { runCli } from '../helpers/cli.js';

const TOKEN = 'test-token-0123456789';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let harness: Harness;
let bridge: WebBridge;
let rendererDir: string;

function request(
  target: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: target,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${bridge.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const withToken = { 'x-studio-worker-token': TOKEN };

function command(payload: unknown, headers: Record<string, string> = {}) {
  return request('/api/command', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...withToken, ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

beforeAll(async () => {
  harness = await startHarness();
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>window</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(path.dirname(rendererDir), 'outside.txt'), 'secret');
  bridge = await startWebBridge({
    worker: harness.worker,
    host: {},
    port: 0,
    rendererDir,
    token: TOKEN,
    snapshotIntervalMs: 20,
  });
});

afterAll(async () => {
  await bridge?.close();
  await harness?.close();
  await rm(rendererDir, { recursive: true, force: true });
});

describe('web bridge access', () => {
  it('listens on 127.0.0.1 only and prints the token in the URL', () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${TOKEN}`);
  });

  it('serves the page for the token in the query and hands over a cookie', async () => {
    const page = await request(`/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>window</title>');
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(
      `studio-worker-ui-${bridge.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`,
    );
    const asset = await request('/assets/app.js', { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each(['/', '/assets/app.js', '/api/events'])('refuses GET %s without the token', async (p) => {
    const answer = await request(p);
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('missing or wrong token');
  });

  it('refuses a wrong token in the query, the header and the cookie', async () => {
    expect((await request('/?token=guess')).status).toBe(401);
    expect((await request('/', { headers: { 'x-studio-worker-token': 'guess' } })).status).toBe(
      401,
    );
    expect(
      (await request('/', { headers: { cookie: `studio-worker-ui-${bridge.port}=guess` } })).status,
    ).toBe(401);
  });

  it('refuses a command without the token and applies nothing', async () => {
    const answer = await request('/api/command', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'setEnabled', enabled: false }),
    });
    expect(answer.status).toBe(401);
    expect(harness.store.current().auto_enabled).toBe(true);
  });

  it.each([
    'evil.example.com',
    'evil.example.com:80',
    '127.0.0.1.evil.example.com',
    'localhost@evil',
  ])('refuses a foreign Host header (%s) even with the token', async (host) => {
    const answer = await request(`/?token=${TOKEN}`, { headers: { host } });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('foreign Host header');
  });

  it('accepts the localhost name on another port (an SSH tunnel)', async () => {
    const answer = await request(`/?token=${TOKEN}`, { headers: { host: 'localhost:9999' } });
    expect(answer.status).toBe(200);
  });

  it('refuses a command from a foreign Origin and applies nothing', async () => {
    const answer = await command(
      { type: 'setEnabled', enabled: false },
      { origin: 'http://evil.example.com' },
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('foreign Origin header');
    expect(harness.store.current().auto_enabled).toBe(true);
  });

  it('refuses a page request from a foreign Origin', async () => {
    const answer = await request(`/?token=${TOKEN}`, {
      headers: { origin: `http://127.0.0.1:${bridge.port + 1}` },
    });
    expect(answer.status).toBe(403);
  });

  it('sends headers that keep the token out of referrers and the page out of frames', async () => {
    const page = await request(`/?token=${TOKEN}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('never serves a file outside the window folder', async () => {
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt']) {
      const answer = await request(p, { headers: withToken });
      expect(answer.status, p).toBe(404);
      expect(answer.body).not.toContain('secret');
    }
  });
});

describe('web bridge commands', () => {
  it('applies a valid command and returns the CommandResult', async () => {
    const answer = await command({ type: 'setThreshold', gb: 20 });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect(harness.store.current().vram_threshold_gb).toBe(20);
  });

  it("returns the worker's refusal with the field it names", async () => {
    const answer = await command({ type: 'saveSettings', settings: { jobTimeoutSecs: -5 } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, field: 'jobTimeoutSecs' });
  });

  it("rejects what core's schema rejects, with its message", async () => {
    const answer = await command({ type: 'setEnabled', enabled: 'yes' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      error: expect.stringMatching(/^invalid command: enabled: /),
    });
  });

  it('rejects a body that is not JSON', async () => {
    const answer = await command('{not json');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toBe('invalid command: the body is not JSON');
  });

  it('rejects a command not sent as application/json', async () => {
    const answer = await command(JSON.stringify({ type: 'checkForUpdates' }), {
      'content-type': 'text/plain',
    });
    expect(answer.status).toBe(415);
  });

  it('refuses a body over the size cap and applies nothing', async () => {
    const huge = JSON.stringify({
      type: 'saveSettings',
      settings: { engine: 'x'.repeat(100 * 1024) },
    });
    const answer = await command(huge);
    expect(answer.status).toBe(413);
    expect(harness.store.current().engine).toBe('synthetic');
  });
});

describe('web bridge snapshot stream', () => {
  it('sends the snapshot at once and again after a change', async () => {
    const snapshots: WorkerSnapshot[] = [];
    const req = http.get({
      host: '127.0.0.1',
      port: bridge.port,
      path: '/api/events',
      headers: { ...withToken, host: `127.0.0.1:${bridge.port}` },
    });
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      req.on('response', resolve),
    );
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith('data: '))
          snapshots.push(JSON.parse(event.slice(6)) as WorkerSnapshot);
      }
    });
    await eventually(() => snapshots.length >= 1, 'the first snapshot');
    expect(snapshots[0]!.agentVersion).toBe('0.0.0-test');
    await command({ type: 'setThreshold', gb: 7 });
    await eventually(() => snapshots.at(-1)?.vramThresholdGb === 7, 'the changed snapshot');
    req.destroy();
  });
});

describe('web bridge without a built window', () => {
  it('says how to build it', async () => {
    const bare = await startWebBridge({
      worker: harness.worker,
      host: {},
      port: 0,
      rendererDir: path.join(rendererDir, 'missing'),
      token: TOKEN,
    });
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        http
          .get(`${bare.url}`, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
            );
          })
          .on('error', reject);
      });
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('run npm run build');
    } finally {
      await bare.close();
    }
  });
});

describe('studio-worker run --ui options', () => {
  it('exits 2 when --ui-port comes without --ui', async () => {
    const r = await runCli(['run', '--ui-port', '8080']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('studio-worker: --ui-port needs --ui\n');
  });

  it('exits 1 with a way out when the --ui-port is taken', async () => {
    const dir = await tempDir();
    try {
      const r = await runCli([
        '--config',
        path.join(dir, 'config.toml'),
        'run',
        '--ui',
        '--ui-port',
        String(bridge.port),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`could not serve the settings window on 127.0.0.1:${bridge.port}`);
      expect(r.stderr).toContain('choose another --ui-port');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for a --ui-port that is not a port', async () => {
    const r = await runCli(['run', '--ui', '--ui-port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ui-port must be a port number from 0 to 65535 (got 70000)');
  });
});
