import { afterEach, describe, expect, it } from 'vitest';
import {
  createGradioEngine,
  type GradioEngineOptions,
} from '../../../../src/core/engine/gradio/index.js';
import { MAX_IMAGE_BYTES, MAX_IMAGE_JSON_BYTES } from '../../../../src/core/engine/remote/http.js';
import { imageTask, llmTask } from '../synthetic/tasks.js';
import { closedPort } from '../../studio/loopback-server.js';
import { encodedImage } from '../remote/fixtures.js';
import {
  bodyOf,
  declareLength,
  reply,
  routedServer,
  type Loopback,
  type Route,
} from '../remote/server.js';
import { transportCases } from '../remote/transport-cases.js';
import { rejection, running } from '../remote/rejection.js';

const PREDICT = 'POST /run/predict';
const CHECKED_AT = Date.parse('2026-05-16T00:00:00.000Z');

let servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(routes: Record<string, Route>): Promise<Loopback> {
  const server = await routedServer(routes);
  servers.push(server);
  return server;
}

async function gradio(routes: Record<string, Route>, extra: Partial<GradioEngineOptions> = {}) {
  const server = await serve(routes);
  const engine = createGradioEngine({
    baseUrl: server.url,
    models: ['sdxl-turbo'],
    timeoutMs: 10_000,
    now: () => CHECKED_AT,
    ...extra,
  });
  return { server, engine };
}

/** A Gradio 3 /run/predict answer with these outputs. */
function predicted(...data: unknown[]): string {
  return JSON.stringify({ data, is_generating: false, duration: 1.5, average_duration: 1.5 });
}

describe('gradio engine: requests', () => {
  it('posts the prompt as the only input by default', async () => {
    const png = await encodedImage('png');
    const { server, engine } = await gradio({
      [PREDICT]: reply(200, predicted(`data:image/png;base64,${png.toString('base64')}`)),
    });
    await engine.run('sdxl-turbo', imageTask({ prompt: 'a red fox' }), running());
    expect(bodyOf(server.received[0]!)).toEqual({ data: ['a red fox'] });
  });

  it('fills the configured inputs, sends fn_index, and posts to /run/<api_name>', async () => {
    const png = await encodedImage('png');
    const { server, engine } = await gradio(
      {
        'POST /run/txt2img': reply(
          200,
          predicted(`data:image/png;base64,${png.toString('base64')}`),
        ),
      },
      {
        apiName: 'txt2img',
        fnIndex: 3,
        inputs: ['masterpiece, {prompt}', 'blurry', '{steps}', '{seed}', '{width}', '{model}', 7.5],
        modelMap: { 'sdxl-turbo': 'sd_xl_turbo_1.0' },
      },
    );
    await engine.run(
      'sdxl-turbo',
      imageTask({ prompt: 'a red fox', steps: 4, seed: null, width: 640 }),
      running(),
    );
    expect(bodyOf(server.received[0]!)).toEqual({
      data: ['masterpiece, a red fox', 'blurry', 4, -1, 640, 'sd_xl_turbo_1.0', 7.5],
      fn_index: 3,
    });
  });
});

describe('gradio engine: outputs', () => {
  it('decodes a data URL output, naming the format of the bytes', async () => {
    const webp = await encodedImage('webp');
    const { engine } = await gradio({
      [PREDICT]: reply(200, predicted(`data:image/png;base64,${webp.toString('base64')}`)),
    });
    const result = await engine.run('sdxl-turbo', imageTask({ ext: 'png' }), running());
    expect(result).toEqual({ type: 'bytes', ext: 'webp', data: webp });
  });

  it('fetches a relative /file= URL from the same server', async () => {
    const png = await encodedImage('png');
    const { server, engine } = await gradio({
      [PREDICT]: reply(200, predicted('/file=/tmp/gradio/abc/image.png')),
      'GET /file=/tmp/gradio/abc/image.png': reply(200, png, 'image/png'),
    });
    const result = await engine.run('sdxl-turbo', imageTask(), running());
    expect(result).toEqual({ type: 'bytes', ext: 'png', data: png });
    expect(server.received.map((r) => r.url)).toEqual([
      '/run/predict',
      '/file=/tmp/gradio/abc/image.png',
    ]);
  });

  it('fetches a file object {name, is_file} as /file=<name>', async () => {
    const jpeg = await encodedImage('jpeg');
    const { engine } = await gradio({
      [PREDICT]: reply(
        200,
        predicted({ name: '/tmp/gradio/d 1/out.jpg', data: null, is_file: true }),
      ),
      'GET /file=/tmp/gradio/d%201/out.jpg': reply(200, jpeg, 'image/jpeg'),
    });
    const result = await engine.run('sdxl-turbo', imageTask(), running());
    expect(result).toEqual({ type: 'bytes', ext: 'jpeg', data: jpeg });
  });

  it('fetches an absolute URL on the same server', async () => {
    const png = await encodedImage('png');
    let own = '';
    const { server, engine } = await gradio({
      // Gradio builds absolute file URLs from the address it was called at.
      [PREDICT]: (received, res) => reply(200, predicted(`${own}/file=/tmp/x.png`))(received, res),
      'GET /file=/tmp/x.png': reply(200, png, 'image/png'),
    });
    own = server.url;
    const result = await engine.run('sdxl-turbo', imageTask(), running());
    expect(result).toEqual({ type: 'bytes', ext: 'png', data: png });
  });

  it('refuses a file URL on another server and never fetches it', async () => {
    const elsewhere = await serve({ 'GET /secret.png': reply(200, await encodedImage('png')) });
    const { engine } = await gradio({
      [PREDICT]: reply(200, predicted(`${elsewhere.url}/secret.png`)),
    });
    const error = await rejection(engine.run('sdxl-turbo', imageTask(), running()));
    expect(error.message).toContain(
      `answered 200 with an image on another server (${elsewhere.url}) — ` +
        'the engine fetches files from base_url only',
    );
    expect(elsewhere.received).toEqual([]);
  });

  it('takes the first image of a gallery output', async () => {
    const png = await encodedImage('png');
    const { engine } = await gradio({
      [PREDICT]: reply(
        200,
        predicted([
          [{ name: '/tmp/g/0.png', data: null, is_file: true }, 'caption'],
          [{ name: '/tmp/g/1.png', data: null, is_file: true }, 'caption'],
        ]),
      ),
      'GET /file=/tmp/g/0.png': reply(200, png, 'image/png'),
    });
    expect(await engine.run('sdxl-turbo', imageTask(), running())).toMatchObject({ ext: 'png' });
  });

  it('reads the output at output_index', async () => {
    const png = await encodedImage('png');
    const { engine } = await gradio(
      {
        [PREDICT]: reply(
          200,
          predicted('seed: 42', `data:image/png;base64,${png.toString('base64')}`),
        ),
      },
      { outputIndex: 1 },
    );
    expect(await engine.run('sdxl-turbo', imageTask(), running())).toMatchObject({ ext: 'png' });
  });

  it('fails naming output_index when there is no such output', async () => {
    const { server, engine } = await gradio(
      { [PREDICT]: reply(200, predicted('only one')) },
      { outputIndex: 2 },
    );
    const error = await rejection(engine.run('sdxl-turbo', imageTask(), running()));
    expect(error.message).toBe(
      `gradio engine: ${server.url}/run/predict answered 200 without data[2] ` +
        '(it has 1 outputs) — check output_index',
    );
  });

  it('fails when the output is text instead of an image', async () => {
    const { engine } = await gradio({ [PREDICT]: reply(200, predicted('a caption')) });
    const error = await rejection(engine.run('sdxl-turbo', imageTask(), running()));
    expect(error.message).toContain(
      'answered 200 with a string that is neither a data: URL nor a file URL at data[0] ' +
        'instead of an image — check output_index',
    );
  });

  it('refuses a file whose Content-Length is over the image limit', async () => {
    const { server, engine } = await gradio({
      [PREDICT]: reply(200, predicted('/file=/tmp/huge.png')),
      'GET /file=/tmp/huge.png': declareLength(MAX_IMAGE_BYTES + 1, 'image/png'),
    });
    const error = await rejection(engine.run('sdxl-turbo', imageTask(), running()));
    expect(error.message).toBe(
      `gradio engine: ${server.url}/file=/tmp/huge.png answered 200 with a body of ` +
        `${MAX_IMAGE_BYTES + 1} bytes, over the 64 MiB limit — refused ` +
        '(is it the right endpoint? is the image too large?)',
    );
  });

  it('fails with the file route’s error when the file is gone', async () => {
    const { server, engine } = await gradio({
      [PREDICT]: reply(200, predicted('/file=/tmp/gone.png')),
    });
    const error = await rejection(engine.run('sdxl-turbo', imageTask(), running()));
    expect(error.message).toBe(
      `gradio engine: ${server.url}/file=/tmp/gone.png answered 404: 404 page not found`,
    );
  });

  it('fails with `cannot serve` for kinds other than image', async () => {
    const { engine } = await gradio({});
    const error = await rejection(engine.run('sdxl-turbo', llmTask(), running()));
    expect(error.message).toBe('gradio engine cannot serve llm tasks');
  });
});

describe('gradio engine: models and health', () => {
  it('advertises the configured models for image tasks', async () => {
    const { engine } = await gradio({}, { models: ['b', 'a', 'b'] });
    expect(engine.capabilities()).toEqual({ image: ['a', 'b'] });
  });

  it('reports the app reachable when it answers GET /config', async () => {
    const { engine } = await gradio({ 'GET /config': reply(200, '{"version":"3.41.2"}') });
    expect(await engine.health()).toEqual({
      reachable: true,
      models: ['sdxl-turbo'],
      error: null,
      checkedAt: '2026-05-16T00:00:00.000Z',
    });
  });

  it('reports the app unreachable when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const engine = createGradioEngine({ baseUrl: url, models: ['x'], timeoutMs: 5_000 });
    expect(await engine.health()).toMatchObject({
      reachable: false,
      error: `gradio engine: could not reach ${url}/config: connection refused — is the server running? check base_url`,
    });
  });

  it('refuses to start without models', () => {
    expect(() =>
      createGradioEngine({ baseUrl: 'http://127.0.0.1:7860', models: [], timeoutMs: 1 }),
    ).toThrow('gradio engine needs at least one model id');
  });
});

describe('gradio engine: transport failures', () => {
  transportCases({
    engine: 'gradio',
    route: PREDICT,
    goodBody: async () =>
      predicted(`data:image/png;base64,${(await encodedImage('png')).toString('base64')}`),
    maxBytes: MAX_IMAGE_JSON_BYTES,
    build: (baseUrl, timeoutMs) => createGradioEngine({ baseUrl, timeoutMs, models: ['m'] }),
    model: 'm',
    task: imageTask(),
  });
});
