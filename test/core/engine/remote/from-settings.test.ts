import { afterEach, describe, expect, it } from 'vitest';
import { buildEngine } from '../../../../src/core/engine/build.js';
import type { Engine } from '../../../../src/core/engine/engine.js';
import { fixtureText, OPENAI_FIXTURES, A1111_FIXTURES } from './fixtures.js';
import { reply, routedServer, type Loopback } from './server.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MODEL_LIST = JSON.stringify({ object: 'list', data: [{ id: 'llama3:latest' }] });

/** Builds `engine = "multi"` from one [[engines]] table. */
function fromTable(table: Record<string, unknown>): Engine {
  return buildEngine('multi', { engines: [table] });
}

describe('server-backed engines from config.toml', () => {
  it('builds an openai engine from its [[engines]] table and discovers through base_url', async () => {
    server = await routedServer({ 'GET /v1/models': reply(200, MODEL_LIST) });
    const engine = buildEngine('openai', {
      engines: [
        { engine: 'synthetic', kinds: ['audio_tts'] },
        { engine: 'openai', base_url: server.url, model_map: { chat: 'llama3:latest' } },
      ],
    });
    expect(engine.name).toBe('openai');
    await engine.refresh?.();
    expect(engine.capabilities()).toEqual({ llm: ['chat', 'llama3:latest'] });
  });

  it('serves image tasks too with images = true', () => {
    const engine = fromTable({ engine: 'openai', images: true, models: ['m'] });
    expect(engine.capabilities()).toEqual({ image: ['m'], llm: ['m'] });
  });

  it('gives a leaf engine supported_models_override when its table has no models', () => {
    const engine = buildEngine('a1111', {
      engines: [{ engine: 'a1111', timeout_secs: 30 }],
      modelsOverride: ['sd15'],
    });
    expect(engine.capabilities()).toEqual({ image: ['sd15'] });
  });

  it('prefers the models of the table over supported_models_override', () => {
    const engine = buildEngine('a1111', {
      engines: [{ engine: 'a1111', models: ['sdxl'] }],
      modelsOverride: ['sd15'],
    });
    expect(engine.capabilities()).toEqual({ image: ['sdxl'] });
  });

  it('builds a leaf engine with its defaults when no table names it', () => {
    const engine = buildEngine('openai', { engines: [] });
    expect(engine.capabilities()).toEqual({ llm: [] });
  });

  it('rejects two tables naming the top-level engine, pointing at multi', () => {
    expect(() =>
      buildEngine('openai', { engines: [{ engine: 'openai' }, { engine: 'openai' }] }),
    ).toThrow(
      'engine = "openai" takes its settings from one [[engines]] table, but engines[0], ' +
        'engines[1] all name it — keep one, or set engine = "multi" to run them side by side',
    );
  });

  it('rejects a base_url on another machine unless allow_remote = true', () => {
    expect(() => fromTable({ engine: 'openai', base_url: 'http://192.168.1.20:11434' })).toThrow(
      'engines[0].base_url: 192.168.1.20:11434 is not this machine ' +
        '(got "http://192.168.1.20:11434") — set allow_remote = true in engines[0] to send jobs ' +
        '(prompts and api_key) to another machine',
    );
    expect(() =>
      fromTable({ engine: 'openai', base_url: 'http://192.168.1.20:11434', allow_remote: true }),
    ).not.toThrow();
  });

  it('rejects a base_url that is not http(s), naming the key', () => {
    expect(() => fromTable({ engine: 'a1111', base_url: 'ftp://127.0.0.1/' })).toThrow(
      /^engines\[0\]\.base_url: must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/127\.0\.0\.1\/"\)/,
    );
  });

  it('rejects a base_url with a password without repeating it', () => {
    let message = '';
    try {
      fromTable({ engine: 'gradio', models: ['m'], base_url: 'http://me:hunter2@127.0.0.1:7860' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('engines[0].base_url: must not hold a user name or password');
    expect(message).not.toContain('hunter2');
  });

  it('rejects an api_key with a line break, naming it without echoing it', () => {
    let message = '';
    try {
      fromTable({ engine: 'openai', api_key: 'sk-secret-1\nX-Evil: 1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^engines\[0\]\.api_key: must be one line/);
    expect(message).not.toContain('sk-secret-1');
    expect(message).toContain('(got "<redacted>")');
  });

  it('rejects image tasks for openai without images = true, saying how to enable them', () => {
    expect(() => fromTable({ engine: 'openai', kinds: ['image'] })).toThrow(
      'engines[0].kinds: the openai engine cannot serve image tasks — set images = true in ' +
        'engines[0] if the server has /v1/images/generations',
    );
  });

  it('rejects kinds an image engine cannot serve, listing what it serves', () => {
    expect(() => fromTable({ engine: 'a1111', kinds: ['llm'] })).toThrow(
      'engines[0].kinds: the a1111 engine cannot serve llm tasks (it serves: image)',
    );
  });

  it('rejects a gradio table without models, saying why they are needed', () => {
    expect(() => fromTable({ engine: 'gradio' })).toThrow(
      'engines[0]: the gradio engine needs models = ["…"], the studio model ids the app serves',
    );
  });

  it('rejects keys an engine does not know and bad values of its own keys', () => {
    expect(() => fromTable({ engine: 'openai', base: 'x' })).toThrow(/^engines\[0\]: .*"base"/);
    expect(() => fromTable({ engine: 'a1111', timeout_secs: 0 })).toThrow(
      /^engines\[0\]\.timeout_secs: .*\(got 0\)/,
    );
    expect(() => fromTable({ engine: 'gradio', models: ['m'], api_name: 'a/b' })).toThrow(
      /^engines\[0\]\.api_name: must be an endpoint name like "predict" \(got "a\/b"\)/,
    );
  });

  it('accepts gradio settings: api_name with a slash, fn_index, inputs, output_index', () => {
    const engine = fromTable({
      engine: 'gradio',
      models: ['sdxl'],
      api_name: '/txt2img',
      fn_index: 0,
      inputs: ['{prompt}', 20, true, ['a', 1], { key: '{seed}' }],
      output_index: 1,
    });
    expect(engine.capabilities()).toEqual({ image: ['sdxl'] });
  });

  it('accepts a1111 params as a table of txt2img fields', async () => {
    server = await routedServer({
      'GET /sdapi/v1/sd-models': reply(200, await fixtureText(A1111_FIXTURES.sdModelsLinux)),
    });
    const engine = fromTable({
      engine: 'a1111',
      base_url: `${server.url}/`,
      params: { sampler_name: 'Euler a', cfg_scale: 7 },
    });
    await engine.refresh?.();
    expect(engine.capabilities().image).toContain('CounterfeitV30_v30');
  });

  it('uses the multi route of each table so tasks reach the right server', async () => {
    server = await routedServer({
      'POST /v1/chat/completions': reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)),
    });
    const engine = buildEngine('multi', {
      engines: [
        { engine: 'synthetic', kinds: ['image'] },
        { engine: 'openai', base_url: server.url, models: ['llama3'] },
      ],
    });
    const result = await engine.run(
      'llama3',
      { kind: 'llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, temperature: 0 },
      new AbortController().signal,
    );
    expect(result).toMatchObject({ type: 'json', value: { object: 'chat.completion' } });
  });
});
