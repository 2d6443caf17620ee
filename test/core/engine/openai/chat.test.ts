import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiEngine } from '../../../../src/core/engine/openai/index.js';
import { MAX_JSON_BYTES } from '../../../../src/core/engine/remote/http.js';
import { llmTask, ttsTask } from '../synthetic/tasks.js';
import { fixtureText, OPENAI_FIXTURES, parseTranscript } from '../remote/fixtures.js';
import { bodyOf, reply, routedServer, type Loopback, type Route } from '../remote/server.js';
import { transportCases } from '../remote/transport-cases.js';
import { rejection, running } from '../remote/rejection.js';

const CHAT = 'POST /v1/chat/completions';
const API_KEY = 'sk-test-4f9a1c2b7e';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function engineWith(routes: Record<string, Route>, apiKey?: string) {
  server = await routedServer(routes);
  return createOpenAiEngine({
    baseUrl: server.url,
    apiKey,
    modelMap: { 'studio-llama': 'llama3' },
    timeoutMs: 10_000,
  });
}

describe('openai engine: llm tasks', () => {
  it('posts the messages, max_tokens and temperature for the mapped model, not streaming', async () => {
    const engine = await engineWith({
      [CHAT]: reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)),
    });
    const task = llmTask({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
      max_tokens: 1,
      temperature: 0.2,
    });
    await engine.run('studio-llama', task, running());
    const [request] = server!.received;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(bodyOf(request!)).toEqual({
      model: 'llama3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
      ],
      max_tokens: 1,
      temperature: 0.2,
      stream: false,
    });
  });

  it("returns the server's chat completion as it came, usage included", async () => {
    const text = await fixtureText(OPENAI_FIXTURES.chatLength);
    const engine = await engineWith({ [CHAT]: reply(200, text) });
    const result = await engine.run('studio-llama', llmTask(), running());
    expect(result).toEqual({ type: 'json', value: JSON.parse(text) });
    expect(result).toMatchObject({
      value: { usage: { prompt_tokens: 23, completion_tokens: 1, total_tokens: 24 } },
    });
  });

  it('passes a completion whose message content is null through unchanged', async () => {
    const text = await fixtureText(OPENAI_FIXTURES.chatNullContent);
    const engine = await engineWith({ [CHAT]: reply(200, text) });
    const result = await engine.run('qwen3-coder:480b-cloud', llmTask(), running());
    expect(result).toEqual({ type: 'json', value: JSON.parse(text) });
  });

  it('sends a model without a model_map entry under its own name', async () => {
    const engine = await engineWith({
      [CHAT]: reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)),
    });
    await engine.run('gemma2:27b', llmTask(), running());
    expect(bodyOf(server!.received[0]!).model).toBe('gemma2:27b');
  });

  it('sends the api_key as a Bearer token', async () => {
    const engine = await engineWith(
      { [CHAT]: reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)) },
      API_KEY,
    );
    await engine.run('studio-llama', llmTask(), running());
    expect(server!.received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('reaches the same routes when base_url ends in /v1', async () => {
    server = await routedServer({
      [CHAT]: reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)),
    });
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, timeoutMs: 10_000 });
    await engine.run('llama3', llmTask(), running());
    expect(server.received[0]?.url).toBe('/v1/chat/completions');
  });

  it("fails with Ollama's message when it answers 400 EOF", async () => {
    const engine = await engineWith({
      [CHAT]: reply(400, await fixtureText(OPENAI_FIXTURES.error400Eof)),
    });
    const error = await rejection(engine.run('studio-llama', llmTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/chat/completions answered 400: EOF`,
    );
  });

  it("fails with OpenAI's message when it answers 404 model_not_found", async () => {
    const engine = await engineWith({
      [CHAT]: reply(404, await fixtureText(OPENAI_FIXTURES.error404ModelNotFound)),
    });
    const error = await rejection(engine.run('gpt-4', llmTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/chat/completions answered 404: The model: \`gpt-4\` does not exist`,
    );
  });

  it("fails with Ollama's native message when the model is not pulled", async () => {
    const engine = await engineWith({
      [CHAT]: reply(404, await fixtureText(OPENAI_FIXTURES.ollamaNativeNotFound)),
    });
    const error = await rejection(engine.run('studio-llama', llmTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/chat/completions answered 404: ` +
        "model 'llama3' not found, try pulling it first",
    );
  });

  it('replays the recorded 400 and 404 text/plain answers of the curl transcript', async () => {
    const exchanges = parseTranscript(await fixtureText(OPENAI_FIXTURES.transcripts));
    const notFound = exchanges.find((e) => e.status === 404)!;
    const badRequest = exchanges.find((e) => e.status === 400)!;
    expect(notFound.body).toBe('404 page not found');
    for (const recorded of [notFound, badRequest]) {
      const engine = await engineWith({
        [CHAT]: reply(recorded.status, recorded.body, recorded.headers['content-type']),
      });
      const error = await rejection(engine.run('studio-llama', llmTask(), running()));
      const said = recorded.status === 404 ? '404 page not found' : 'EOF';
      expect(error.message).toBe(
        `openai engine: ${server!.url}/v1/chat/completions answered ${recorded.status}: ${said}`,
      );
      await server!.close();
      server = undefined;
    }
  });

  it('fails when a 200 answer is not a chat completion', async () => {
    const engine = await engineWith({ [CHAT]: reply(200, '{"object":"list","data":[]}') });
    const error = await rejection(engine.run('studio-llama', llmTask(), running()));
    expect(error.message).toMatch(
      /^openai engine: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered 200 without a chat completion \(choices: /,
    );
  });

  it('fails when a 200 answer is not JSON, saying what it was', async () => {
    const engine = await engineWith({ [CHAT]: reply(200, '<html>LM Studio</html>', 'text/html') });
    const error = await rejection(engine.run('studio-llama', llmTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/chat/completions answered 200 with a body that is not ` +
        'JSON (content-type text/html, 22 bytes) — check base_url points at the right server',
    );
  });

  it('never puts the api_key in an error, even when the server echoes it', async () => {
    const echo = JSON.stringify({
      error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' },
    });
    const engine = await engineWith({ [CHAT]: reply(401, echo) }, API_KEY);
    const error = await rejection(engine.run('studio-llama', llmTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/chat/completions answered 401: ` +
        'Incorrect API key provided: <redacted>',
    );
    expect(error.message).not.toContain(API_KEY);
  });

  it('fails with `cannot serve` for kinds it does not do', async () => {
    const engine = await engineWith({});
    const error = await rejection(engine.run('studio-llama', ttsTask(), running()));
    expect(error.message).toBe('openai engine cannot serve audio_tts tasks');
    expect(server!.received).toEqual([]);
  });
});

describe('openai engine: llm transport failures', () => {
  transportCases({
    engine: 'openai',
    route: CHAT,
    goodBody: () => fixtureText(OPENAI_FIXTURES.chatLength),
    maxBytes: MAX_JSON_BYTES,
    build: (baseUrl, timeoutMs) => createOpenAiEngine({ baseUrl, timeoutMs }),
    model: 'llama3',
    task: llmTask(),
  });
});
