import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiEngine } from '../../../../src/core/engine/openai/index.js';
import { MAX_IMAGE_JSON_BYTES } from '../../../../src/core/engine/remote/http.js';
import { imageTask } from '../synthetic/tasks.js';
import { encodedImage } from '../remote/fixtures.js';
import { bodyOf, reply, routedServer, type Loopback, type Route } from '../remote/server.js';
import { transportCases } from '../remote/transport-cases.js';
import { rejection, running } from '../remote/rejection.js';

const GENERATE = 'POST /v1/images/generations';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function imageEngine(routes: Record<string, Route>) {
  server = await routedServer(routes);
  return createOpenAiEngine({
    baseUrl: server.url,
    kinds: ['image', 'llm'],
    modelMap: { sdxl: 'stablediffusion' },
    timeoutMs: 10_000,
  });
}

/** The OpenAI images answer with one b64_json image. */
function generated(b64: string): string {
  return JSON.stringify({ created: 1719437652, data: [{ b64_json: b64 }] });
}

describe('openai engine: image tasks', () => {
  it('posts the prompt, size and mapped model asking for one b64_json image', async () => {
    const png = await encodedImage('png');
    const engine = await imageEngine({ [GENERATE]: reply(200, generated(png.toString('base64'))) });
    await engine.run(
      'sdxl',
      imageTask({ prompt: 'a red fox', width: 768, height: 512 }),
      running(),
    );
    expect(bodyOf(server!.received[0]!)).toEqual({
      model: 'stablediffusion',
      prompt: 'a red fox',
      n: 1,
      size: '768x512',
      response_format: 'b64_json',
    });
  });

  it('returns the decoded PNG with ext png', async () => {
    const png = await encodedImage('png');
    const engine = await imageEngine({ [GENERATE]: reply(200, generated(png.toString('base64'))) });
    const result = await engine.run('sdxl', imageTask({ ext: 'png' }), running());
    expect(result).toEqual({ type: 'bytes', ext: 'png', data: png });
  });

  it('names the format the bytes are in, not the one the job asked for', async () => {
    for (const format of ['webp', 'jpeg'] as const) {
      const bytes = await encodedImage(format);
      const engine = await imageEngine({
        [GENERATE]: reply(200, generated(bytes.toString('base64'))),
      });
      const result = await engine.run('sdxl', imageTask({ ext: 'png' }), running());
      expect(result).toMatchObject({ type: 'bytes', ext: format });
      await server!.close();
      server = undefined;
    }
  });

  it('fails saying the server ignores response_format when it answers with a URL', async () => {
    const engine = await imageEngine({
      [GENERATE]: reply(200, JSON.stringify({ data: [{ url: 'https://cdn.example/x.png' }] })),
    });
    const error = await rejection(engine.run('sdxl', imageTask(), running()));
    expect(error.message).toContain('answered 200 with an image URL instead of data[0].b64_json');
  });

  it('fails when b64_json is not base64', async () => {
    const engine = await imageEngine({ [GENERATE]: reply(200, generated('not base64!')) });
    const error = await rejection(engine.run('sdxl', imageTask(), running()));
    expect(error.message).toBe(
      `openai engine: ${server!.url}/v1/images/generations answered 200 with data[0].b64_json ` +
        'that is not base64 image data',
    );
  });

  it('fails when the image is cut short instead of returning a broken file', async () => {
    const png = await encodedImage('png');
    const cut = png.subarray(0, png.length - 20).toString('base64');
    const engine = await imageEngine({ [GENERATE]: reply(200, generated(cut)) });
    const error = await rejection(engine.run('sdxl', imageTask(), running()));
    expect(error.message).toContain('answered 200 with a PNG image that is cut short');
  });

  it('fails with `cannot serve` for image tasks unless images are enabled', async () => {
    server = await routedServer({});
    const engine = createOpenAiEngine({ baseUrl: server.url, timeoutMs: 10_000 });
    const error = await rejection(engine.run('sdxl', imageTask(), running()));
    expect(error.message).toBe('openai engine cannot serve image tasks');
    expect(engine.capabilities()).toEqual({ llm: [] });
  });
});

describe('openai engine: image transport failures', () => {
  transportCases({
    engine: 'openai',
    route: GENERATE,
    goodBody: async () => generated((await encodedImage('png')).toString('base64')),
    maxBytes: MAX_IMAGE_JSON_BYTES,
    build: (baseUrl, timeoutMs) => createOpenAiEngine({ baseUrl, timeoutMs, kinds: ['image'] }),
    model: 'sdxl',
    task: imageTask(),
  });
});
