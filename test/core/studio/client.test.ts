import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudioClient } from '../../../src/core/studio/client.js';
import { StudioError } from '../../../src/core/studio/errors.js';
import { capabilities, creds, job } from './fixtures.js';
import { answer, recordingServer, type Loopback } from './loopback-server.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function studio(respond?: Parameters<typeof recordingServer>[0]) {
  server = await recordingServer(respond);
  return server;
}

function only(loopback: Loopback) {
  expect(loopback.received).toHaveLength(1);
  const [received] = loopback.received;
  return received!;
}

describe('register', () => {
  it('posts the bootstrap token and capabilities to workers/register', async () => {
    const s = await studio(answer(201, JSON.stringify({ workerId: 'w-9', authToken: 'a-9' })));
    const client = createStudioClient({ baseUrl: s.url });
    await client.register({ bootstrapToken: 'boot-1', capabilities });
    const r = only(s);
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/graphics/api/workers/register');
    expect(r.headers.authorization).toBe('Bearer boot-1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString()).toBe(JSON.stringify({ bootstrapToken: 'boot-1', capabilities }));
  });

  it('returns the workerId and authToken of the answer, without extra fields', async () => {
    const s = await studio(
      answer(201, JSON.stringify({ workerId: 'w-9', authToken: 'a-9', extra: true })),
    );
    const client = createStudioClient({ baseUrl: s.url });
    const result = await client.register({ bootstrapToken: 'boot-1', capabilities });
    expect(result).toEqual({ workerId: 'w-9', authToken: 'a-9' });
  });

  it('sends the stored workerId when one is given', async () => {
    const s = await studio(answer(200, JSON.stringify({ workerId: 'w-1', authToken: 'a' })));
    const client = createStudioClient({ baseUrl: s.url });
    await client.register({ bootstrapToken: 'boot-1', capabilities, workerId: 'w-1' });
    expect(JSON.parse(only(s).body.toString())).toEqual({
      bootstrapToken: 'boot-1',
      capabilities,
      workerId: 'w-1',
    });
  });

  it('rejects an answer without authToken as malformed, naming the missing field', async () => {
    const s = await studio(answer(201, JSON.stringify({ workerId: 'w-9' })));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.register({ bootstrapToken: 'boot-1', capabilities }).catch((e) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ op: 'register', kind: 'malformed', status: 201 });
    expect(error.message).toMatch(/^register failed: the studio answered 201 without a valid/);
    expect(error.message).toContain('authToken');
  });

  it('rejects a workerId ".." as malformed: it could not name the worker in a URL', async () => {
    const s = await studio(answer(201, JSON.stringify({ workerId: '..', authToken: 'a-9' })));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.register({ bootstrapToken: 'boot-1', capabilities }).catch((e) => e);
    expect(error).toMatchObject({ op: 'register', kind: 'malformed' });
    expect(error.message).toContain('workerId: must not be "." or ".."');
  });

  it('describes a non-JSON answer without quoting it', async () => {
    const s = await studio(
      answer(200, '<html>fresh-token-xyz</html>', { 'content-type': 'text/html' }),
    );
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.register({ bootstrapToken: 'boot-1', capabilities }).catch((e) => e);
    expect(error.kind).toBe('malformed');
    expect(error.message).toBe(
      'register failed: the studio answered 200 with a body that is not JSON ' +
        '(content-type text/html, 28 bytes) — check api_base_url points at a studio',
    );
  });

  it('counts a bad answer to register as transient, like a 502, but not a bad job', async () => {
    const s = await studio((received, res) =>
      received.url.endsWith('/register')
        ? answer(200, '<html>portal</html>', { 'content-type': 'text/html' })(received, res)
        : answer(200, '{"jobId": "j-1", "model": <<')(received, res),
    );
    const client = createStudioClient({ baseUrl: s.url });
    const registerError = await client
      .register({ bootstrapToken: 'boot-1', capabilities })
      .catch((e) => e);
    expect(registerError).toMatchObject({ op: 'register', kind: 'malformed', transient: true });
    const claimError = await client.claim(creds).catch((e) => e);
    expect(claimError).toMatchObject({ op: 'claim', kind: 'malformed', transient: false });
  });
});

describe('heartbeat', () => {
  it('posts capabilities and currentJobId with the auth token', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await client.heartbeat(creds, { capabilities, currentJobId: 'j-7' });
    const r = only(s);
    expect(r.url).toBe('/graphics/api/workers/w-1/heartbeat');
    expect(r.headers.authorization).toBe('Bearer tok-secret-123');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString()).toBe(JSON.stringify({ capabilities, currentJobId: 'j-7' }));
  });

  it('omits currentJobId when no job runs', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await client.heartbeat(creds, { capabilities });
    expect(only(s).body.toString()).toBe(JSON.stringify({ capabilities }));
  });

  it('accepts any 2xx as success and ignores its body', async () => {
    const s = await studio(answer(202, 'not json at all'));
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.heartbeat(creds, { capabilities })).resolves.toBeUndefined();
  });
});

describe('claim', () => {
  it('posts with no body and no content-type', async () => {
    const s = await studio(answer(204));
    const client = createStudioClient({ baseUrl: s.url });
    await client.claim(creds);
    const r = only(s);
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/graphics/api/workers/w-1/claim');
    expect(r.headers.authorization).toBe('Bearer tok-secret-123');
    expect(r.headers['content-type']).toBeUndefined();
    expect(r.body.length).toBe(0);
  });

  it('returns none on 204', async () => {
    const s = await studio(answer(204));
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.claim(creds)).resolves.toEqual({ kind: 'none' });
  });

  it('returns none on a 2xx with an empty body', async () => {
    const s = await studio(answer(200, ' \n'));
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.claim(creds)).resolves.toEqual({ kind: 'none' });
  });

  it('returns the job of a 200, with protocol defaults filled in', async () => {
    const s = await studio(answer(200, JSON.stringify({ ...job, unknownField: 1 })));
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.claim(creds)).resolves.toEqual({
      kind: 'job',
      job: { ...job, prompt: '', ext: 'webp' },
    });
  });

  it('validates a tagged task of a 200', async () => {
    const task = { kind: 'llm', messages: [{ role: 'user', content: 'hi' }] };
    const s = await studio(answer(200, JSON.stringify({ ...job, task })));
    const client = createStudioClient({ baseUrl: s.url });
    const result = await client.claim(creds);
    expect(result.kind === 'job' && result.job.task).toEqual({
      ...task,
      max_tokens: 512,
      temperature: 0.7,
    });
  });

  it('keeps every digit of a u64 seed, which JSON.parse would round', async () => {
    const body =
      '{"jobId":"j-1","gameId":"g","assetName":"a","model":"m","vramGbEstimate":1,' +
      '"task":{"kind":"image","prompt":"p","seed":18446744073709551615}}';
    const s = await studio(answer(200, body));
    const client = createStudioClient({ baseUrl: s.url });
    const result = await client.claim(creds);
    expect(result.kind === 'job' && result.job.task).toMatchObject({
      seed: 18_446_744_073_709_551_615n,
    });
  });

  it('reads the seed of the task, not a same-named field elsewhere in the body', async () => {
    const body =
      '{"jobId":"j-1","gameId":"g","assetName":"a","model":"m","vramGbEstimate":1,' +
      '"meta":{"task":{"seed":1}},"seed":2,"task":{"kind":"image","prompt":"\\"seed\\":3",' +
      '"nested":{"seed":4},"seed":9007199254740993}}';
    const s = await studio(answer(200, body));
    const client = createStudioClient({ baseUrl: s.url });
    const result = await client.claim(creds);
    expect(result.kind === 'job' && result.job.task).toMatchObject({
      seed: 9_007_199_254_740_993n,
    });
  });

  it('takes a job over the default size limits: those are for the runtime to hand back', async () => {
    const task = { kind: 'image', prompt: 'x'.repeat(20_001) };
    const s = await studio(answer(200, JSON.stringify({ ...job, task })));
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.claim(creds)).resolves.toMatchObject({ kind: 'job' });
  });

  it('rejects a malformed job as malformed, with the readable jobId and what was wrong', async () => {
    const s = await studio(answer(200, JSON.stringify({ ...job, vramGbEstimate: 'big' })));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.claim(creds).catch((e) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ op: 'claim', kind: 'malformed', jobId: 'j-1', status: 200 });
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(
      /^claim failed: the studio answered 200 with a job that does not follow the protocol \(jobId "j-1"\): vramGbEstimate: .+ — check/,
    );
  });

  it('rejects a malformed job without a readable jobId with jobId undefined', async () => {
    const s = await studio(answer(200, JSON.stringify({ ...job, jobId: 42 })));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.claim(creds).catch((e) => e);
    expect(error).toMatchObject({ kind: 'malformed', jobId: undefined });
    expect(error.message).toContain('jobId: ');
    expect(error.message).not.toContain('(jobId');
  });

  it('rejects a job with id ".." as malformed, with no job id to fail (no URL can carry it)', async () => {
    const s = await studio(answer(200, JSON.stringify({ ...job, jobId: '..' })));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.claim(creds).catch((e) => e);
    expect(error).toMatchObject({ op: 'claim', kind: 'malformed', jobId: undefined });
    expect(error.message).toContain('jobId: must not be "." or ".."');
  });

  it('rejects a 200 whose body is not JSON as malformed', async () => {
    const s = await studio(answer(200, '{"jobId":"j-1",', { 'content-type': 'application/json' }));
    const client = createStudioClient({ baseUrl: s.url });
    const error = await client.claim(creds).catch((e) => e);
    expect(error).toMatchObject({ kind: 'malformed', jobId: undefined });
    expect(error.message).toContain('is not JSON (content-type application/json, 15 bytes)');
  });
});

describe('results and logs', () => {
  it('complete-json posts jobId, prompt, result and resultKind json', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await client.completeJson(creds, 'j-1', { prompt: 'hi', result: { text: 'yo' } });
    const r = only(s);
    expect(r.url).toBe('/graphics/api/workers/w-1/jobs/j-1/complete-json');
    expect(r.headers.authorization).toBe('Bearer tok-secret-123');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString()).toBe(
      '{"jobId":"j-1","prompt":"hi","result":{"text":"yo"},"resultKind":"json"}',
    );
  });

  it('fail posts error and retryable', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await client.fail(creds, 'j-1', { error: 'out of memory', retryable: true });
    const r = only(s);
    expect(r.url).toBe('/graphics/api/workers/w-1/jobs/j-1/fail');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString()).toBe('{"error":"out of memory","retryable":true}');
  });

  it('logs posts the entries in the LogEntry wire shape, jobId only when set', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    const ts = '2026-05-16T00:00:00.000Z';
    await client.shipLogs(creds, [
      { ts, level: 'info', category: 'claim', message: 'ran', jobId: 'j-1' },
      { ts, level: 'warn', category: 'gpu', message: 'hot', jobId: undefined },
    ]);
    const r = only(s);
    expect(r.url).toBe('/graphics/api/workers/w-1/logs');
    expect(r.body.toString()).toBe(
      JSON.stringify({
        entries: [
          { ts, level: 'info', category: 'claim', message: 'ran', jobId: 'j-1' },
          { ts, level: 'warn', category: 'gpu', message: 'hot' },
        ],
      }),
    );
  });
});

describe('urls', () => {
  it('drops trailing slashes of the base url', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: `${s.url}//` });
    await client.heartbeat(creds, { capabilities });
    expect(client.baseUrl).toBe(s.url);
    expect(only(s).url).toBe('/graphics/api/workers/w-1/heartbeat');
  });

  it('keeps a path prefix of the base url', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: `${s.url}/studio/` });
    await client.heartbeat(creds, { capabilities });
    expect(only(s).url).toBe('/studio/graphics/api/workers/w-1/heartbeat');
  });

  it('url-encodes worker and job ids as path segments', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await client.fail({ ...creds, workerId: 'w/1 x' }, 'j?#1', { error: 'e', retryable: false });
    expect(only(s).url).toBe('/graphics/api/workers/w%2F1%20x/jobs/j%3F%231/fail');
  });

  it('refuses a job id "." or ".." (a dot segment, even encoded), sending nothing', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    for (const jobId of ['.', '..']) {
      await expect(client.fail(creds, jobId, { error: 'e', retryable: false })).rejects.toThrow(
        `fail failed: the id ${JSON.stringify(jobId)} cannot be sent as part of a URL path`,
      );
      await expect(client.completeJson(creds, jobId, { prompt: '', result: 1 })).rejects.toThrow(
        'cannot be sent as part of a URL path',
      );
    }
    await expect(client.heartbeat({ ...creds, workerId: '..' }, { capabilities })).rejects.toThrow(
      'the id ".." cannot be sent',
    );
    expect(s.received).toHaveLength(0);
  });

  it('refuses a base url that is not http(s), saying which value', () => {
    expect(() => createStudioClient({ baseUrl: 'ftp://studio' })).toThrow(
      'api_base_url must be an http:// or https:// URL (got "ftp://studio")',
    );
  });
});

describe('connections', () => {
  it('refuses calls other than register without credentials, sending nothing', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    await expect(client.claim({ workerId: '', authToken: '' })).rejects.toThrow(
      'claim failed: this worker has no worker id or auth token — register first',
    );
    expect(s.received).toHaveLength(0);
  });

  it('refuses a token with a line break before sending, without quoting it', async () => {
    const s = await studio();
    const client = createStudioClient({ baseUrl: s.url });
    const error: unknown = await client
      .heartbeat({ workerId: 'w-1', authToken: 'abc\ndef' }, { capabilities })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(StudioError);
    expect((error as Error).message).toBe(
      'heartbeat failed: the token contains a line break or NUL character, which an HTTP header ' +
        'cannot carry — fix the token in the config (or register again)',
    );
    expect(s.received).toHaveLength(0);
  });

  it('consumes every answer body, so one connection serves call after call', async () => {
    let n = 0;
    const big = 'x'.repeat(200_000);
    const s = await studio((_r, res) => {
      n += 1;
      const status = [500, 200, 404, 204][n % 4]!;
      res.writeHead(status).end(status === 204 ? '' : big);
    });
    const dispatcher = new Agent({ connections: 1 });
    const client = createStudioClient({ baseUrl: s.url, dispatcher, timeoutMs: 2000 });
    for (let i = 0; i < 12; i += 1) {
      await client.heartbeat(creds, { capabilities }).catch((e: unknown) => {
        if (!(e instanceof StudioError) || e.kind !== 'http') throw e;
      });
    }
    expect(s.received).toHaveLength(12);
    await dispatcher.close();
  }, 5000);
});
