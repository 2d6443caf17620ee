// image tasks on an AUTOMATIC1111-style server: POST /sdapi/v1/txt2img with the job's checkpoint
// in override_settings, images[0] (base64) back as bytes whose ext is read from the bytes.
import { z } from 'zod';
import type { ImageTask } from '../../task/task.js';
import type { EngineResult } from '../engine.js';
import { MAX_IMAGE_JSON_BYTES, type ServerClient } from '../remote/http.js';
import { imageFromBase64 } from '../remote/image-bytes.js';

const txt2imgSchema = z.looseObject({ images: z.array(z.string()).min(1) });

/**
 * The request body. `params` (the `params` setting: sampler_name, cfg_scale, negative_prompt…)
 * come first, so the task's own fields always win. The checkpoint stays loaded after the job
 * (override_settings_restore_afterwards = false): switching back would reload a multi-gigabyte
 * model after every job whose model differs from the UI's.
 */
export function txt2imgRequest(
  task: ImageTask,
  checkpoint: string,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const overrides = params.override_settings;
  return {
    ...params,
    prompt: task.prompt,
    width: task.width,
    height: task.height,
    steps: task.steps,
    seed: task.seed ?? -1,
    batch_size: 1,
    n_iter: 1,
    send_images: true,
    save_images: false,
    override_settings: {
      ...(typeof overrides === 'object' && overrides !== null ? overrides : {}),
      sd_model_checkpoint: checkpoint,
    },
    override_settings_restore_afterwards: false,
  };
}

export async function txt2img(
  client: ServerClient,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<EngineResult> {
  const { answer, value } = await client.sendParsed(
    {
      method: 'POST',
      url: client.url('/sdapi/v1/txt2img'),
      json: body,
      maxBytes: MAX_IMAGE_JSON_BYTES,
      signal,
    },
    txt2imgSchema,
    'images',
  );
  return imageFromBase64(value.images[0]!, 'images[0]', (problem) =>
    client.malformed(answer, problem),
  );
}

/**
 * Asks the server to stop generating. Aborting the HTTP request does not stop A1111: without
 * this, a cancelled job would keep the GPU busy and hold up the next one.
 */
export async function interrupt(client: ServerClient): Promise<void> {
  await client.send({
    method: 'POST',
    url: client.url('/sdapi/v1/interrupt'),
    maxBytes: 64 * 1024,
    timeoutMs: 5_000,
  });
}
