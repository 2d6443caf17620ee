// The comfyui engine against a loopback ComfyUI stand-in (real HTTP and WebSocket): every output
// type, cached prompts, dropped sockets, node errors, out of memory, a restart mid-job, cancel,
// a stall, and picking up its own prompt after a worker restart.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineProgress } from '../../../../src/core/engine/engine.js';
import { EngineJobError } from '../../../../src/core/engine/engine.js';
import {
  createComfyEngine,
  type ComfyEngineOptions,
} from '../../../../src/core/engine/comfyui/index.js';
import { promptIdFor } from '../../../../src/core/engine/comfyui/prompt-id.js';
import { imageTask, llmTask, ttsTask, videoTask } from '../synthetic/tasks.js';
import { savedFile, startComfyStandIn, type ComfyStandIn } from './comfy-standin.js';

type SentGraph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

/** The graph of the first POST /prompt the stand-in received. */
function sentGraph(comfy: ComfyStandIn): SentGraph {
  const body = comfy.requests.find((r) => r.route === 'POST /prompt')?.body as {
    prompt: SentGraph;
  };
  return body.prompt;
}

let comfy: ComfyStandIn | undefined;
afterEach(async () => {
  await comfy?.close();
  comfy = undefined;
});

async function png(width = 8, height = 8): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
}

/** A stand-in serving one PNG output, and an engine on it with short waits. */
async function setUp(extra: Partial<ComfyEngineOptions> = {}) {
  comfy = await startComfyStandIn();
  comfy.files.set('output//studio-worker_00001_.png', await png());
  const engine = createComfyEngine({
    baseUrl: comfy.url,
    timeoutMs: 5_000,
    pollMs: 20,
    reconnectMs: 5_000,
    ...extra,
  });
  return { comfy, engine };
}

const VIDEO_WORKFLOW = {
  '1': {
    class_type: 'WanTextToVideo',
    inputs: { text: '{{prompt}}', seed: '{{seed}}', frames: '{{frames}}', width: '{{width}}' },
  },
  '2': { class_type: 'VHS_VideoCombine', inputs: { images: ['1', 0], format: 'video/h264-mp4' } },
};
const AUDIO_WORKFLOW = {
  '1': { class_type: 'TextToSpeech', inputs: { text: '{{prompt}}', seconds: '{{seconds}}' } },
  '2': { class_type: 'SaveAudio', inputs: { audio: ['1', 0] } },
};

describe('comfyui engine: images on the built-in graph', () => {
  it('queues the built-in graph with our prompt_id, reports steps and returns the PNG as webp', async () => {
    const { comfy, engine } = await setUp();
    await engine.refresh();
    const seen: EngineProgress[] = [];
    const result = await engine.run(
      'v1-5-pruned-emaonly',
      imageTask({ prompt: 'a red fox', width: 64, height: 48, steps: 3, seed: 42, ext: 'webp' }),
      new AbortController().signal,
      { jobId: 'job-1', progress: (p) => seen.push(p) },
    );
    expect(result.type).toBe('bytes');
    if (result.type !== 'bytes') return;
    expect(result.ext).toBe('webp');
    expect((await sharp(result.data).metadata()).format).toBe('webp');

    const submit = comfy.requests.find((r) => r.route === 'POST /prompt')!.body as {
      prompt_id: string;
    };
    expect(submit.prompt_id).toBe(promptIdFor('job-1'));
    expect(submit.prompt_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const graph = sentGraph(comfy);
    // The model id matched the listed checkpoint file; the job's numbers went in as numbers.
    expect(graph['4']?.inputs.ckpt_name).toBe('SD1.5/v1-5-pruned-emaonly.safetensors');
    expect(graph['6']?.inputs.text).toBe('a red fox');
    expect(graph['3']?.inputs).toMatchObject({ seed: 42, steps: 3, cfg: 7, sampler_name: 'euler' });
    expect(graph['5']?.inputs).toEqual({ width: 64, height: 48, batch_size: 1 });
    expect(seen.filter((p) => p.total === 3).map((p) => p.done)).toEqual([1, 2, 3]);
    expect(seen.at(-1)).toMatchObject({ unit: 'steps', stage: 'KSampler (node 3)' });
  });

  it('uses the checkpoint model_map names and returns a PNG untouched when the job asks for png', async () => {
    const { comfy, engine } = await setUp({
      modelMap: { 'sdxl-1.0': 'sd_xl_base_1.0.safetensors' },
    });
    const result = await engine.run(
      'sdxl-1.0',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      {
        jobId: 'job-2',
      },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
    if (result.type === 'bytes')
      expect(Buffer.from(result.data)).toEqual(comfy.files.get('output//studio-worker_00001_.png'));
    const graph = sentGraph(comfy);
    expect(graph['4']?.inputs.ckpt_name).toBe('sd_xl_base_1.0.safetensors');
  });

  it('skips temp previews and takes the saved file', async () => {
    const { comfy, engine } = await setUp();
    comfy.files.set('output//final.png', await png(16, 16));
    comfy.plan = () => ({
      outputs: {
        '10': { images: [savedFile('ComfyUI_temp_0001.png', 'temp')] },
        '9': { images: [savedFile('final.png')] },
      },
    });
    const result = await engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'j' },
    );
    if (result.type !== 'bytes') throw new Error('no bytes');
    expect((await sharp(result.data).metadata()).width).toBe(16);
    expect(
      comfy.requests.some((r) => r.route === 'GET /view' && JSON.stringify(r).includes('temp')),
    ).toBe(false);
  });

  it('takes a fully cached prompt (no executed message) from its history', async () => {
    const { comfy, engine } = await setUp();
    comfy.plan = () => ({
      cached: true,
      outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } },
    });
    const result = await engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'cached' },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
  });

  it('reads the checkpoint list from object_info on a server without /models, and old progress messages', async () => {
    const { comfy, engine } = await setUp();
    comfy.noModelsRoute = true;
    comfy.plan = (_id, graph) => ({
      progressWithoutPromptId: true,
      outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } },
      steps: 2,
      ...(graph ? {} : {}),
    });
    await engine.refresh();
    expect(engine.capabilities().image).toEqual([
      'SD1.5/v1-5-pruned-emaonly.safetensors',
      'sd_xl_base_1.0',
      'sd_xl_base_1.0.safetensors',
      'v1-5-pruned-emaonly',
    ]);
    const seen: EngineProgress[] = [];
    await engine.run('sd_xl_base_1.0', imageTask(), new AbortController().signal, {
      jobId: 'old',
      progress: (p) => seen.push(p),
    });
    expect(seen.filter((p) => p.total === 2).map((p) => p.done)).toEqual([1, 2]);
  });
});

describe('comfyui engine: workflows and output types', () => {
  const workflows = {
    'wan-2.1': { graph: VIDEO_WORKFLOW, kinds: ['video' as const], file: '/w/wan.json' },
    'tts-1': { graph: AUDIO_WORKFLOW, kinds: ['audio_tts' as const], file: '/w/tts.json' },
  };

  it('fills the workflow placeholders with typed values and returns the mp4 the video node saved', async () => {
    const { comfy, engine } = await setUp({ workflows, graph: { fps: 10 } });
    const mp4 = Buffer.from('\0\0\0\x18ftypisom-video-bytes');
    comfy.files.set('output/video/clip_00001.mp4', mp4);
    comfy.plan = () => ({
      outputs: {
        '2': {
          gifs: [
            {
              ...savedFile('clip_00001.mp4', 'output', 'video'),
              format: 'video/h264-mp4',
              frame_rate: 10,
            },
          ],
        },
      },
    });
    const result = await engine.run(
      'wan-2.1',
      videoTask({ prompt: 'waves', seconds: 1.5, width: 320 }),
      new AbortController().signal,
      { jobId: 'v1' },
    );
    expect(result).toEqual({ type: 'bytes', ext: 'mp4', data: mp4 });
    const graph = sentGraph(comfy);
    expect(graph['1']?.inputs).toMatchObject({ text: 'waves', frames: 15, width: 320 });
    expect(typeof graph['1']?.inputs.seed).toBe('number');
  });

  it('returns an animated webp for a video job that asks for webp', async () => {
    const { comfy, engine } = await setUp({ workflows });
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    comfy.files.set('output//anim.webp', webp);
    comfy.plan = () => ({
      outputs: { '2': { images: [savedFile('anim.webp')], animated: [true] } },
    });
    const result = await engine.run(
      'wan-2.1',
      videoTask({ ext: 'webp' }),
      new AbortController().signal,
      { jobId: 'v2' },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'webp' });
  });

  it('says plainly that a webm cannot become the mp4 the job asks for', async () => {
    const { comfy, engine } = await setUp({ workflows });
    comfy.files.set('output//clip.webm', Buffer.from('webm'));
    comfy.plan = () => ({ outputs: { '2': { videos: [savedFile('clip.webm')] } } });
    await expect(
      engine.run('wan-2.1', videoTask({ ext: 'mp4' }), new AbortController().signal, {
        jobId: 'v3',
      }),
    ).rejects.toThrow(
      /saved clip\.webm \(webm\) but the job asks for mp4, and the worker cannot convert video/,
    );
  });

  it('returns the audio the workflow saved, and refuses to pretend flac is wav', async () => {
    const { comfy, engine } = await setUp({ workflows });
    const flac = Buffer.from('fLaC-audio-bytes');
    comfy.files.set('output/audio/speech_00001_.flac', flac);
    comfy.plan = () => ({
      outputs: { '2': { audio: [savedFile('speech_00001_.flac', 'output', 'audio')] } },
    });
    const result = await engine.run(
      'tts-1',
      ttsTask({ text: 'hello', ext: 'flac' }),
      new AbortController().signal,
      { jobId: 'a1' },
    );
    expect(result).toEqual({ type: 'bytes', ext: 'flac', data: flac });
    const graph = sentGraph(comfy);
    expect(graph['1']?.inputs.text).toBe('hello');
    await expect(
      engine.run('tts-1', ttsTask({ ext: 'wav' }), new AbortController().signal, { jobId: 'a2' }),
    ).rejects.toThrow(/cannot convert audio/);
  });

  it('advertises checkpoints for images and each workflow id for its own kinds', async () => {
    const { engine } = await setUp({ workflows, modelMap: { sdxl: 'sd_xl_base_1.0.safetensors' } });
    await engine.refresh();
    expect(engine.capabilities()).toEqual({
      image: [
        'SD1.5/v1-5-pruned-emaonly.safetensors',
        'sd_xl_base_1.0',
        'sd_xl_base_1.0.safetensors',
        'sdxl',
        'v1-5-pruned-emaonly',
      ],
      audio_tts: ['tts-1'],
      video: ['wan-2.1'],
    });
    const health = await engine.health();
    expect(health).toMatchObject({ reachable: true, error: null });
    expect(health.models).toContain('wan-2.1');
    expect(health.devices).toEqual([
      {
        name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
        vramTotalGb: 23.99,
        vramFreeGb: 18.63,
      },
    ]);
    expect(engine.devices()[0]).toMatchObject({
      name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
      vram_total: 25_756_696_576,
    });
  });

  it('refuses kinds it does not serve with the cannot-serve message', async () => {
    const { engine } = await setUp();
    await expect(engine.run('x', llmTask(), new AbortController().signal)).rejects.toThrow(
      'comfyui engine cannot serve llm tasks',
    );
  });
});

describe('comfyui engine: failures', () => {
  it('fails a refused graph as not retryable, naming the node and the message', async () => {
    const { comfy, engine } = await setUp({ modelMap: { gone: 'missing.safetensors' } });
    const failure = await engine
      .run('gone', imageTask(), new AbortController().signal, { jobId: 'bad' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineJobError);
    expect(failure).toMatchObject({ retryable: false });
    expect((failure as Error).message).toMatch(
      /Prompt outputs failed validation — node 4 \(CheckpointLoaderSimple\): Value not in list: ckpt_name: 'missing\.safetensors'/,
    );
    expect(comfy.submits()).toBe(0);
  });

  it('fails out of memory as retryable, "out of GPU memory", with a GPU-busy hold', async () => {
    const { comfy, engine } = await setUp({ oomHoldMs: 30_000 });
    comfy.plan = () => ({
      error: {
        node_id: '3',
        node_type: 'KSampler',
        exception_type: 'torch.OutOfMemoryError',
        exception_message:
          'Allocation on device \nThis error means you ran out of memory on your GPU.',
      },
    });
    const failure = await engine
      .run('sd_xl_base_1.0.safetensors', imageTask(), new AbortController().signal, {
        jobId: 'oom',
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ retryable: true, gpuBusyMs: 30_000 });
    expect((failure as Error).message).toBe(
      'comfyui engine: out of GPU memory in node 3 (KSampler): Allocation on device',
    );
  });

  it('runs a job again after its earlier attempt failed here, instead of repeating that failure', async () => {
    const { comfy, engine } = await setUp();
    let runs = 0;
    comfy.plan = () => {
      runs += 1;
      return runs === 1
        ? {
            error: {
              node_id: '3',
              node_type: 'KSampler',
              exception_type: 'torch.OutOfMemoryError',
              exception_message: 'Allocation on device',
            },
          }
        : { outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } } };
    };
    const run = () =>
      engine.run(
        'sd_xl_base_1.0.safetensors',
        imageTask({ ext: 'png' }),
        new AbortController().signal,
        {
          jobId: 'retried',
        },
      );
    await expect(run()).rejects.toThrow(/out of GPU memory/);
    expect(await run()).toMatchObject({ type: 'bytes', ext: 'png' });
    expect(comfy.submits(promptIdFor('retried'))).toBe(2);
    expect(comfy.requests.find((r) => r.route === 'POST /history')?.body).toEqual({
      delete: [promptIdFor('retried')],
    });
  });

  it('fails another node exception naming the node, type and message', async () => {
    const { comfy, engine } = await setUp();
    comfy.plan = () => ({
      error: {
        node_id: '8',
        node_type: 'VAEDecode',
        exception_type: 'RuntimeError',
        exception_message: 'bad tensor',
      },
    });
    await expect(
      engine.run('sd_xl_base_1.0.safetensors', imageTask(), new AbortController().signal, {
        jobId: 'err',
      }),
    ).rejects.toThrow('comfyui engine: node 8 (VAEDecode) failed: RuntimeError: bad tensor');
  });

  it('finishes the job when the socket drops mid-prompt (polling /history)', async () => {
    const { comfy, engine } = await setUp();
    comfy.plan = () => ({
      steps: 4,
      dropSocketsAfterStep: 1,
      outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } },
    });
    const result = await engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'drop' },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
    expect(comfy.submits()).toBe(1);
  });

  it('waits for a ComfyUI that restarts mid-job and queues the lost prompt again under the same id', async () => {
    const { comfy, engine } = await setUp();
    let runs = 0;
    comfy.plan = () => {
      runs += 1;
      return runs === 1
        ? { steps: 3, restartAfterStep: 1 }
        : { outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } } };
    };
    const result = await engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'restart' },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
    expect(comfy.submits(promptIdFor('restart'))).toBe(2);
  });

  it('fails fast, retryable, when ComfyUI is not running at all', async () => {
    const { comfy, engine } = await setUp();
    await comfy.close();
    const failure = await engine
      .run('sd_xl_base_1.0.safetensors', imageTask(), new AbortController().signal, {
        jobId: 'down',
      })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/could not reach .*\/queue: connection refused/);
    expect(failure).not.toMatchObject({ retryable: false });
  });

  it('cancels a prompt that makes no progress for stall_secs, and fails retryable', async () => {
    let clock = 1_000_000;
    const { comfy, engine } = await setUp({ stallMs: 60_000, now: () => clock });
    comfy.plan = () => ({ hang: true });
    const run = engine
      .run('sd_xl_base_1.0.safetensors', imageTask(), new AbortController().signal, {
        jobId: 'stall',
      })
      .catch((error: unknown) => error);
    await waitFor(() => comfy.running() !== undefined);
    // Once the engine polls a running prompt, every message it will get has arrived.
    const polls = comfy.requests.length;
    await waitFor(
      () => comfy.requests.slice(polls).filter((r) => r.route === 'GET /queue').length >= 2,
    );
    clock += 60_001;
    const failure = await run;
    expect(failure).toMatchObject({ retryable: true });
    expect((failure as Error).message).toMatch(/made no progress for 60 s — cancelled/);
    expect(comfy.requests.find((r) => r.route === 'POST /interrupt')?.body).toEqual({
      prompt_id: promptIdFor('stall'),
    });
  });
});

describe('comfyui engine: cancel and resume', () => {
  it("on abort interrupts only our running prompt and leaves the owner's queued prompt alone", async () => {
    const { comfy, engine } = await setUp();
    comfy.plan = () => ({ hang: true });
    const abort = new AbortController();
    const run = engine
      .run('sd_xl_base_1.0.safetensors', imageTask(), abort.signal, { jobId: 'cancel-me' })
      .catch((error: unknown) => error);
    await waitFor(() => comfy.running() !== undefined);
    comfy.queueForeign('owner-prompt');
    abort.abort(new Error('job timed out'));
    expect(((await run) as Error).name).toBe('AbortError');
    await waitFor(() => comfy.requests.some((r) => r.route === 'POST /queue'));
    const id = promptIdFor('cancel-me');
    expect(comfy.requests.find((r) => r.route === 'POST /interrupt')?.body).toEqual({
      prompt_id: id,
    });
    expect(comfy.requests.find((r) => r.route === 'POST /queue')?.body).toEqual({ delete: [id] });
    expect(comfy.pending().map((p) => p.id)).toEqual(['owner-prompt']);
  });

  it('uses /api/jobs/{id}/cancel where the server has it, and nothing else', async () => {
    const { comfy, engine } = await setUp();
    comfy.jobsApi = true;
    comfy.plan = () => ({ hang: true });
    const abort = new AbortController();
    const run = engine
      .run('sd_xl_base_1.0.safetensors', imageTask(), abort.signal, { jobId: 'jobs-api' })
      .catch((e: unknown) => e);
    await waitFor(() => comfy.running() !== undefined);
    abort.abort();
    await run;
    await waitFor(() => comfy.requests.some((r) => r.route.includes('/cancel')));
    expect(comfy.requests.map((r) => r.route)).toContain(
      `POST /api/jobs/${promptIdFor('jobs-api')}/cancel`,
    );
    expect(comfy.requests.some((r) => r.route === 'POST /interrupt')).toBe(false);
  });

  it('after a worker restart picks up its prompt still queued in ComfyUI instead of queueing it twice', async () => {
    const { comfy, engine } = await setUp();
    comfy.plan = () => ({
      held: true,
      outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } },
    });
    // The worker that crashed had queued the job's prompt before it died.
    const id = promptIdFor('crash-job');
    await fetch(`${comfy.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({
        prompt: { '9': { class_type: 'SaveImage', inputs: {} } },
        client_id: 'old-worker',
        prompt_id: id,
      }),
    });
    const run = engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'crash-job' },
    );
    await waitFor(() => comfy.requests.filter((r) => r.route === 'GET /queue').length >= 2);
    comfy.release();
    expect(await run).toMatchObject({ type: 'bytes', ext: 'png' });
    expect(comfy.submits(id)).toBe(1);
  });

  it('after a worker restart takes the result of a prompt that finished meanwhile, queueing nothing', async () => {
    const { comfy, engine } = await setUp();
    const id = promptIdFor('done-job');
    await fetch(`${comfy.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({
        prompt: { '9': { class_type: 'SaveImage', inputs: {} } },
        prompt_id: id,
      }),
    });
    await waitFor(() => comfy.history.has(id));
    const result = await engine.run(
      'sd_xl_base_1.0.safetensors',
      imageTask({ ext: 'png' }),
      new AbortController().signal,
      { jobId: 'done-job' },
    );
    expect(result).toMatchObject({ type: 'bytes', ext: 'png' });
    expect(comfy.submits(id)).toBe(1);
  });
});

/** Polls a condition of the stand-in (real time: the stand-in runs prompts on real timers). */
async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
