import { afterEach, describe, expect, it } from 'vitest';
import { createA1111Engine } from '../../../../src/core/engine/a1111/index.js';
import { MAX_IMAGE_JSON_BYTES } from '../../../../src/core/engine/remote/http.js';
import { imageTask, llmTask } from '../synthetic/tasks.js';
import { A1111_FIXTURES, encodedImage, fixtureJson, fixtureText } from '../remote/fixtures.js';
import { bodyOf, reply, routedServer, type Loopback, type Route } from '../remote/server.js';
import { transportCases } from '../remote/transport-cases.js';
import { rejection, running } from '../remote/rejection.js';

const TXT2IMG = 'POST /sdapi/v1/txt2img';
const SD_MODELS = 'GET /sdapi/v1/sd-models';
const CHECKED_AT = Date.parse('2026-05-16T00:00:00.000Z');

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function a1111(
  routes: Record<string, Route>,
  extra: Partial<Parameters<typeof createA1111Engine>[0]> = {},
) {
  server = await routedServer(routes);
  return createA1111Engine({
    baseUrl: server.url,
    modelMap: { realistic: 'realisticVisionV60B1_v51HyperVAE', sd15: 'v1-5-pruned-emaonly' },
    timeoutMs: 10_000,
    now: () => CHECKED_AT,
    ...extra,
  });
}

/** The recorded v1.4.0 answer, its images[0] replaced by `image` (the recorded one is cut). */
async function txt2imgAnswer(image: Buffer): Promise<string> {
  const recorded = await fixtureJson<Record<string, unknown>>(A1111_FIXTURES.txt2img);
  return JSON.stringify({ ...recorded, images: [image.toString('base64')] });
}

describe('a1111 engine: models', () => {
  it('advertises the checkpoints by model_name, and model_map ids of those it has', async () => {
    const engine = await a1111({
      [SD_MODELS]: reply(200, await fixtureText(A1111_FIXTURES.sdModelsWindows)),
    });
    expect(engine.capabilities()).toEqual({ image: [] });
    await engine.refresh();
    expect(engine.capabilities()).toEqual({
      image: [
        'Yuna_NOFACE',
        'chilloutrealistic_v21',
        'hanfu',
        'hanfuSong_v35',
        'orientalGoddess_001LCM',
        'realistic',
        'realisticVisionV60B1_v51HyperVAE',
        'sd15',
        'v1-5-pruned-emaonly',
        'wdr_realisti_hanfu',
      ],
    });
  });

  it('advertises a model_map id whose checkpoint is named by its title', async () => {
    const engine = await a1111(
      { [SD_MODELS]: reply(200, await fixtureText(A1111_FIXTURES.sdModelsLinux)) },
      { modelMap: { counterfeit: 'CounterfeitV30_v30.safetensors [cbfba64e66]' } },
    );
    await engine.refresh();
    expect(engine.capabilities().image).toEqual([
      'CounterfeitV30_v30',
      'breakdomainrealistic_R2333',
      'counterfeit',
    ]);
  });

  it('reports health with the checkpoints and the time of the check', async () => {
    const engine = await a1111({
      [SD_MODELS]: reply(200, await fixtureText(A1111_FIXTURES.sdModelsLinux)),
    });
    expect(await engine.health()).toEqual({
      reachable: true,
      models: ['CounterfeitV30_v30', 'breakdomainrealistic_R2333'],
      error: null,
      checkedAt: '2026-05-16T00:00:00.000Z',
    });
  });

  it('reports a web UI started without --api as reachable, with its 404', async () => {
    const engine = await a1111({
      [SD_MODELS]: reply(404, '{"detail":"Not Found"}'),
    });
    expect(await engine.health()).toMatchObject({
      reachable: true,
      error: `a1111 engine: ${server!.url}/sdapi/v1/sd-models answered 404: Not Found`,
    });
  });
});

describe('a1111 engine: image tasks', () => {
  it('posts the task with seed -1 for none, the checkpoint title, and keeps it loaded', async () => {
    const png = await encodedImage('png');
    const engine = await a1111({
      [SD_MODELS]: reply(200, await fixtureText(A1111_FIXTURES.sdModelsWindows)),
      [TXT2IMG]: reply(200, await txt2imgAnswer(png)),
    });
    await engine.refresh();
    await engine.run(
      'realistic',
      imageTask({ prompt: '1 girl', width: 512, height: 768, steps: 30, seed: null }),
      running(),
    );
    const txt2img = server!.received.find((r) => r.url === '/sdapi/v1/txt2img')!;
    expect(bodyOf(txt2img)).toEqual({
      prompt: '1 girl',
      width: 512,
      height: 768,
      steps: 30,
      seed: -1,
      batch_size: 1,
      n_iter: 1,
      send_images: true,
      save_images: false,
      override_settings: {
        sd_model_checkpoint: 'realisticVisionV60B1_v51HyperVAE.safetensors [f47e942ad4]',
      },
      override_settings_restore_afterwards: false,
    });
  });

  it("sends the job's seed, and extra params under the task's own fields", async () => {
    const engine = await a1111(
      { [TXT2IMG]: reply(200, await txt2imgAnswer(await encodedImage('png'))) },
      {
        params: {
          sampler_name: 'Euler a',
          cfg_scale: 7,
          prompt: 'never sent',
          override_settings: { CLIP_stop_at_last_layers: 2 },
        },
      },
    );
    await engine.run('some-checkpoint', imageTask({ prompt: 'a cat', seed: 1234n }), running());
    expect(bodyOf(server!.received[0]!)).toMatchObject({
      sampler_name: 'Euler a',
      cfg_scale: 7,
      prompt: 'a cat',
      seed: 1234,
      override_settings: { CLIP_stop_at_last_layers: 2, sd_model_checkpoint: 'some-checkpoint' },
    });
  });

  it('sends a u64 seed with every digit', async () => {
    const engine = await a1111({
      [TXT2IMG]: reply(200, await txt2imgAnswer(await encodedImage('png'))),
    });
    const task = imageTask({ prompt: 'a cat', seed: 18_446_744_073_709_551_615n });
    await engine.run('some-checkpoint', task, running());
    expect(server!.received[0]!.body.toString()).toContain('"seed":18446744073709551615,');
  });

  it('returns images[0] as PNG bytes with ext png', async () => {
    const png = await encodedImage('png');
    const engine = await a1111({ [TXT2IMG]: reply(200, await txt2imgAnswer(png)) });
    const result = await engine.run('sd15', imageTask({ ext: 'webp' }), running());
    expect(result).toEqual({ type: 'bytes', ext: 'png', data: png });
  });

  it('refuses the recorded answer, whose PNG is only a signature and the start of IHDR', async () => {
    const engine = await a1111({
      [TXT2IMG]: reply(200, await fixtureText(A1111_FIXTURES.txt2img)),
    });
    const error = await rejection(engine.run('sd15', imageTask(), running()));
    expect(error.message).toBe(
      `a1111 engine: ${server!.url}/sdapi/v1/txt2img answered 200 with a PNG image that is ` +
        'cut short (16 bytes, no IEND chunk at the end) — not uploaded; the server may have run ' +
        'out of memory or the answer was cut',
    );
  });

  it('fails when the answer has no images', async () => {
    const engine = await a1111({
      [TXT2IMG]: reply(200, JSON.stringify({ images: [], parameters: {}, info: '{}' })),
    });
    const error = await rejection(engine.run('sd15', imageTask(), running()));
    expect(error.message).toMatch(/answered 200 without images \(images: /);
  });

  it("fails with the server's own error message", async () => {
    const body = JSON.stringify({
      error: 'OutOfMemoryError',
      detail: '',
      body: '',
      errors: 'CUDA out of memory. Tried to allocate 2.00 GiB',
    });
    const engine = await a1111({ [TXT2IMG]: reply(500, body) });
    const error = await rejection(engine.run('sd15', imageTask(), running()));
    expect(error.message).toBe(
      `a1111 engine: ${server!.url}/sdapi/v1/txt2img answered 500: ` +
        'OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    );
  });

  it('asks the server to interrupt when the job is cancelled', async () => {
    const engine = await a1111({
      [TXT2IMG]: () => undefined,
      'POST /sdapi/v1/interrupt': reply(200, 'null'),
    });
    const controller = new AbortController();
    const run = engine.run('sd15', imageTask(), controller.signal);
    await expect.poll(() => server!.received.length).toBe(1);
    controller.abort(new Error('job timed out'));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => server!.received.map((r) => r.url)).toContain('/sdapi/v1/interrupt');
  });

  it('fails with `cannot serve` for kinds other than image', async () => {
    const engine = await a1111({});
    const error = await rejection(engine.run('sd15', llmTask(), running()));
    expect(error.message).toBe('a1111 engine cannot serve llm tasks');
  });
});

describe('a1111 engine: transport failures', () => {
  transportCases({
    engine: 'a1111',
    route: TXT2IMG,
    goodBody: async () => txt2imgAnswer(await encodedImage('png')),
    maxBytes: MAX_IMAGE_JSON_BYTES,
    build: (baseUrl, timeoutMs) => createA1111Engine({ baseUrl, timeoutMs }),
    model: 'sd15',
    task: imageTask(),
  });
});
