import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiEngine } from '../../../../src/core/engine/openai/index.js';
import { closedPort } from '../../studio/loopback-server.js';
import { fixtureText, OPENAI_FIXTURES, parseTranscript } from '../remote/fixtures.js';
import { reply, routedServer, type Loopback, type Route } from '../remote/server.js';

/** The shape Ollama, llama-server, vLLM and LM Studio answer GET /v1/models with. */
const MODEL_LIST = JSON.stringify({
  object: 'list',
  data: [
    { id: 'qwen2.5:latest', object: 'model', created: 1767847899, owned_by: 'library' },
    { id: 'llama3:latest', object: 'model', created: 1768091493, owned_by: 'library' },
  ],
});
const API_KEY = 'sk-test-4f9a1c2b7e';
const CHECKED_AT = Date.parse('2026-05-16T00:00:00.000Z');

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function engineWith(
  routes: Record<string, Route>,
  extra: Partial<Parameters<typeof createOpenAiEngine>[0]> = {},
) {
  server = await routedServer(routes);
  return createOpenAiEngine({
    baseUrl: server.url,
    modelMap: { 'llama-3-8b': 'llama3:latest', 'mistral-7b': 'mistral:latest' },
    timeoutMs: 10_000,
    now: () => CHECKED_AT,
    ...extra,
  });
}

describe('openai engine: models', () => {
  it('advertises no models until it has asked the server', async () => {
    const engine = await engineWith({ 'GET /v1/models': reply(200, MODEL_LIST) });
    expect(engine.capabilities()).toEqual({ llm: [] });
    expect(server!.received).toEqual([]);
  });

  it('advertises the listed models and the model_map ids of those it has after a refresh', async () => {
    const engine = await engineWith({ 'GET /v1/models': reply(200, MODEL_LIST) });
    await engine.refresh();
    expect(engine.capabilities()).toEqual({
      llm: ['llama-3-8b', 'llama3:latest', 'qwen2.5:latest'],
    });
  });

  it('advertises the same models for image tasks when images are enabled', async () => {
    const engine = await engineWith(
      { 'GET /v1/models': reply(200, MODEL_LIST) },
      { kinds: ['llm', 'image'] },
    );
    await engine.refresh();
    expect(engine.capabilities()).toEqual({
      image: ['llama-3-8b', 'llama3:latest', 'qwen2.5:latest'],
      llm: ['llama-3-8b', 'llama3:latest', 'qwen2.5:latest'],
    });
  });

  it("falls back to Ollama's /api/tags when /v1/models answers 404 text/plain", async () => {
    const recorded = parseTranscript(await fixtureText(OPENAI_FIXTURES.transcripts)).find(
      (e) => e.status === 404,
    )!;
    const engine = await engineWith({
      'GET /v1/models': reply(404, recorded.body, recorded.headers['content-type']),
      'GET /api/tags': reply(200, await fixtureText(OPENAI_FIXTURES.ollamaTags)),
    });
    await engine.refresh();
    expect(engine.capabilities()).toEqual({ llm: ['codellama:latest', 'gemma2:27b'] });
  });

  it('reports the 404 of /v1/models when /api/tags is not there either', async () => {
    const engine = await engineWith({});
    await expect(engine.refresh()).rejects.toThrow(
      `openai engine: ${server!.url}/v1/models answered 404: 404 page not found`,
    );
  });

  it('advertises the configured models instead of the discovered ones', async () => {
    const engine = await engineWith(
      { 'GET /v1/models': reply(200, MODEL_LIST) },
      { models: ['studio-chat', 'studio-chat'] },
    );
    expect(engine.capabilities()).toEqual({ llm: ['studio-chat'] });
    await engine.refresh();
    expect(engine.capabilities()).toEqual({ llm: ['studio-chat'] });
  });

  it('keeps the last models when a refresh fails', async () => {
    let up = true;
    const engine = await engineWith({
      'GET /v1/models': (received, res) =>
        up ? reply(200, MODEL_LIST)(received, res) : reply(500, '{"error":"busy"}')(received, res),
    });
    await engine.refresh();
    up = false;
    await expect(engine.refresh()).rejects.toThrow('answered 500: busy');
    expect(engine.capabilities().llm).toContain('llama3:latest');
  });

  it('sends the api_key when it lists models', async () => {
    const engine = await engineWith(
      { 'GET /v1/models': reply(200, MODEL_LIST) },
      { apiKey: API_KEY },
    );
    await engine.refresh();
    expect(server!.received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});

describe('openai engine: health', () => {
  it('reports a reachable server with its models and the time of the check', async () => {
    const engine = await engineWith({ 'GET /v1/models': reply(200, MODEL_LIST) });
    expect(await engine.health()).toEqual({
      reachable: true,
      models: ['llama-3-8b', 'llama3:latest', 'qwen2.5:latest'],
      error: null,
      checkedAt: '2026-05-16T00:00:00.000Z',
    });
  });

  it('reports an unreachable server with the reason, without rejecting', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const engine = createOpenAiEngine({ baseUrl: url, timeoutMs: 5_000, now: () => CHECKED_AT });
    expect(await engine.health()).toEqual({
      reachable: false,
      models: [],
      error:
        `openai engine: could not reach ${url}/v1/models: connection refused — ` +
        'is the server running? check base_url',
      checkedAt: '2026-05-16T00:00:00.000Z',
    });
  });

  it('reports a server that refuses the api_key as reachable, with the key redacted', async () => {
    const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}` } });
    const engine = await engineWith({ 'GET /v1/models': reply(401, echo) }, { apiKey: API_KEY });
    const health = await engine.health();
    expect(health).toMatchObject({ reachable: true, models: [] });
    expect(health.error).toBe(
      `openai engine: ${server!.url}/v1/models answered 401: Incorrect API key provided: <redacted>`,
    );
  });

  it('reports a cancelled check as not reachable', async () => {
    const engine = await engineWith({ 'GET /v1/models': () => undefined });
    const controller = new AbortController();
    const health = engine.health(controller.signal);
    await expect.poll(() => server!.received.length).toBe(1);
    controller.abort(new Error('window closed'));
    expect(await health).toMatchObject({
      reachable: false,
      error: 'openai engine run was aborted (window closed)',
    });
  });
});
