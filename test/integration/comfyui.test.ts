// A ComfyUI job through the real worker against the local studio: the worker claims it, runs it
// on a loopback ComfyUI stand-in and the studio receives the file — one job per output type —
// with the sampler's steps in the snapshot while it runs, node errors reported not retryable and
// out of memory pausing claiming for a moment.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createComfyEngine } from '../../src/core/engine/comfyui/index.js';
import type { JobProgress } from '../../src/shared/snapshot.js';
import {
  savedFile,
  startComfyStandIn,
  type ComfyStandIn,
  type Plan,
} from '../core/engine/comfyui/comfy-standin.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
let comfy: ComfyStandIn | undefined;
afterEach(async () => {
  await h?.close();
  await comfy?.close();
  h = undefined;
  comfy = undefined;
});

const WORKFLOW = (save: string) => ({
  '1': { class_type: 'Generate', inputs: { text: '{{prompt}}', seed: '{{seed}}' } },
  '2': { class_type: save, inputs: { input: ['1', 0] } },
});

async function comfyWorker(oomHoldMs = 30_000) {
  comfy = await startComfyStandIn();
  const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#884422' } })
    .png()
    .toBuffer();
  comfy.files.set('output//studio-worker_00001_.png', png);
  comfy.files.set('output/video/clip.mp4', Buffer.from('\0\0\0\x18ftypisom-video'));
  comfy.files.set('output/audio/speech.wav', Buffer.from('RIFF----WAVEfmt-audio'));
  const engine = createComfyEngine({
    baseUrl: comfy.url,
    timeoutMs: 5_000,
    pollMs: 20,
    oomHoldMs,
    workflows: {
      'wan-2.1': { graph: WORKFLOW('VHS_VideoCombine'), kinds: ['video'], file: 'wan.json' },
      'tts-1': { graph: WORKFLOW('SaveAudio'), kinds: ['audio_tts'], file: 'tts.json' },
      'broken-1': {
        graph: {
          '4': {
            class_type: 'CheckpointLoaderSimple',
            inputs: { ckpt_name: 'missing.safetensors' },
          },
          '6': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}', clip: ['4', 1] } },
        },
        kinds: ['image'],
        file: 'broken.json',
      },
    },
  });
  await engine.refresh();
  const stand = comfy;
  stand.plan = (_id, graph): Plan => {
    const save = graph['2']?.class_type;
    if (save === 'VHS_VideoCombine') {
      return {
        outputs: {
          '2': {
            gifs: [{ ...savedFile('clip.mp4', 'output', 'video'), format: 'video/h264-mp4' }],
          },
        },
      };
    }
    if (save === 'SaveAudio')
      return { outputs: { '2': { audio: [savedFile('speech.wav', 'output', 'audio')] } } };
    return { steps: 4, outputs: { '9': { images: [savedFile('studio-worker_00001_.png')] } } };
  };
  h = await startHarness({ engine, config: { engine: 'comfyui' } });
  return { comfy: stand, harness: h };
}

describe('a ComfyUI job through the real worker', () => {
  it('delivers an image, a video and an audio job to the studio, with steps in the snapshot', async () => {
    const { harness } = await comfyWorker();
    const progress: JobProgress[] = [];
    harness.worker.observers.subscribe(() => {
      const p = harness.worker.observers.currentJob?.progress;
      if (p && progress.at(-1) !== p) progress.push(p);
    });
    const sim = harness.sim;
    const ids = {
      image: sim.enqueue({
        model: 'sd_xl_base_1.0',
        task: { kind: 'image', prompt: 'a fox', width: 32, height: 24, steps: 4, ext: 'webp' },
      }),
      video: sim.enqueue({
        model: 'wan-2.1',
        task: { kind: 'video', prompt: 'waves', seconds: 1 },
      }),
      audio: sim.enqueue({ model: 'tts-1', task: { kind: 'audio_tts', text: 'hello there' } }),
    };
    await eventually(
      () => Object.values(ids).every((id) => sim.job(id)?.state === 'completed'),
      'all ComfyUI jobs completed',
      20_000,
    );
    const file = (id: string) => {
      const result = sim.job(id)?.result;
      if (result?.kind !== 'file') throw new Error(`job ${id} has no file result`);
      return result;
    };
    expect(file(ids.image)).toMatchObject({
      ext: 'webp',
      contentType: 'image/webp',
      prompt: 'a fox',
    });
    expect(await sharp(file(ids.image).path).metadata()).toMatchObject({
      format: 'webp',
      width: 32,
    });
    expect(file(ids.video)).toMatchObject({
      ext: 'mp4',
      contentType: 'video/mp4',
      prompt: 'waves',
    });
    expect(file(ids.audio)).toMatchObject({ ext: 'wav', contentType: 'audio/wav' });
    expect(progress.filter((p) => p.total === 4).map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.find((p) => p.total === 4)).toMatchObject({
      unit: 'steps',
      stage: 'KSampler (node 3)',
    });
  });

  it('reports a graph ComfyUI refuses as not retryable, and out of memory as retryable with a pause', async () => {
    const { comfy, harness } = await comfyWorker();
    const sim = harness.sim;
    // Its workflow names a checkpoint this ComfyUI does not have: validation fails on node 4.
    const refused = sim.enqueue({
      model: 'broken-1',
      task: { kind: 'image', prompt: 'x', width: 64 },
    });
    await eventually(
      () => sim.job(refused)?.state === 'failed',
      'refused job failed',
      10_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}: ${JSON.stringify(sim.job(refused))} ${JSON.stringify(harness.logs.slice(-8))}`,
      );
    });
    expect(sim.job(refused)?.error).toMatchObject({ retryable: false });
    expect(sim.job(refused)?.error?.error).toMatch(
      /node 4 \(CheckpointLoaderSimple\): Value not in list/,
    );
    expect(sim.job(refused)?.attempts).toBe(1);

    comfy.plan = () => ({
      error: {
        node_id: '3',
        node_type: 'KSampler',
        exception_type: 'torch.OutOfMemoryError',
        exception_message: 'Allocation on device',
      },
    });
    const oom = sim.enqueue({ model: 'sd_xl_base_1.0', task: { kind: 'image', prompt: 'big' } });
    await eventually(
      () => sim.job(oom)?.history.some((e) => e.kind === 'fail-reported') ?? false,
      'out-of-memory failure reported',
      10_000,
    );
    expect(sim.job(oom)?.error, JSON.stringify(sim.job(oom))).toMatchObject({ retryable: true });
    expect(sim.job(oom)?.error?.error).toMatch(/out of GPU memory in node 3 \(KSampler\)/);
    await eventually(
      () =>
        harness.worker.observers.snapshot().pausedReason?.includes('GPU out of memory') ?? false,
      'claiming paused after out of memory',
    );
  });
});
