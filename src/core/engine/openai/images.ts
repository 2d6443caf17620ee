// image tasks on an OpenAI-compatible server that has POST /v1/images/generations (LocalAI,
// some vLLM and llama.cpp builds): one image as b64_json, its ext read from the bytes.
import { z } from 'zod';
import type { ImageTask } from '../../task/task.js';
import type { EngineResult } from '../engine.js';
import { MAX_IMAGE_JSON_BYTES, type ServerClient } from '../remote/http.js';
import { imageFromBase64 } from '../remote/image-bytes.js';

const generationSchema = z.looseObject({
  data: z
    .array(z.looseObject({ b64_json: z.string().optional(), url: z.string().optional() }))
    .min(1),
});

export function imageRequest(localModel: string, task: ImageTask): Record<string, unknown> {
  return {
    model: localModel,
    prompt: task.prompt,
    n: 1,
    size: `${task.width}x${task.height}`,
    response_format: 'b64_json',
  };
}

export async function generateImage(
  client: ServerClient,
  localModel: string,
  task: ImageTask,
  signal: AbortSignal,
): Promise<EngineResult> {
  const { answer, value } = await client.sendParsed(
    {
      method: 'POST',
      url: client.url('/v1/images/generations'),
      json: imageRequest(localModel, task),
      maxBytes: MAX_IMAGE_JSON_BYTES,
      signal,
    },
    generationSchema,
    'generated images',
  );
  const first = value.data[0]!;
  if (first.b64_json === undefined) {
    throw client.malformed(
      answer,
      first.url === undefined
        ? 'without data[0].b64_json'
        : 'with an image URL instead of data[0].b64_json — this server ignores ' +
            'response_format = "b64_json"; it cannot serve image jobs for this worker',
    );
  }
  return imageFromBase64(first.b64_json, 'data[0].b64_json', (problem) =>
    client.malformed(answer, problem),
  );
}
