// One image from a Gradio 3 app: POST {base}/run/{api_name} with the configured inputs (the
// task's values filled in), then the image at data[output_index] — inline, or fetched from the
// same server; a file URL on another server is refused.
import { z } from 'zod';
import type { ImageTask } from '../../task/task.js';
import type { EngineResult } from '../engine.js';
import { MAX_IMAGE_BYTES, MAX_IMAGE_JSON_BYTES, type ServerClient } from '../remote/http.js';
import { imageFromBase64, imageResult } from '../remote/image-bytes.js';
import { imageOutput, sameServer } from './output.js';

export interface PredictOptions {
  /** `/run/<api_name>`. */
  apiName: string;
  /** Sent as fn_index when set: how Blocks apps without api names are addressed. */
  fnIndex?: number | undefined;
  /** The `data` list; placeholders like "{prompt}" are filled from the task. */
  inputs: readonly unknown[];
  /** Which output holds the image. */
  outputIndex: number;
}

const predictSchema = z.looseObject({ data: z.array(z.unknown()) });

/** Placeholders an input may hold, and their values for a task. */
export function placeholderValues(task: ImageTask, localModel: string): Record<string, unknown> {
  return {
    prompt: task.prompt,
    width: task.width,
    height: task.height,
    steps: task.steps,
    seed: task.seed ?? -1,
    model: localModel,
  };
}

/**
 * An input with its placeholders filled: a string that is exactly one placeholder takes the
 * value with its type ("{width}" → 512); placeholders inside longer strings become text;
 * lists and tables are filled item by item; unknown placeholders are left as they are.
 */
export function fillInput(value: unknown, values: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && Object.hasOwn(values, whole[1]!)) return values[whole[1]!];
    return value.replace(/\{(\w+)\}/g, (text, key: string) =>
      Object.hasOwn(values, key) ? String(values[key]) : text,
    );
  }
  if (Array.isArray(value)) return value.map((item) => fillInput(item, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillInput(item, values)]),
    );
  }
  return value;
}

export async function predictImage(
  client: ServerClient,
  options: PredictOptions,
  values: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<EngineResult> {
  const { answer, value } = await client.sendParsed(
    {
      method: 'POST',
      url: client.url(`/run/${options.apiName}`),
      json: {
        data: options.inputs.map((input) => fillInput(input, values)),
        ...(options.fnIndex === undefined ? {} : { fn_index: options.fnIndex }),
      },
      maxBytes: MAX_IMAGE_JSON_BYTES,
      signal,
    },
    predictSchema,
    'outputs',
  );
  const fail = (problem: string): Error => client.malformed(answer, problem);
  if (options.outputIndex >= value.data.length) {
    throw fail(
      `without data[${options.outputIndex}] (it has ${value.data.length} outputs) — check output_index`,
    );
  }
  const output = imageOutput(value.data[options.outputIndex], client.baseUrl);
  const field = `data[${options.outputIndex}]`;
  switch (output.kind) {
    case 'inline':
      return imageFromBase64(output.text, field, fail);
    case 'none':
      throw fail(`with ${output.problem} at ${field} instead of an image — check output_index`);
    case 'url': {
      if (!sameServer(output.url, client.baseUrl)) {
        throw fail(
          `with an image on another server (${safeOrigin(output.url)}) — ` +
            'the engine fetches files from base_url only',
        );
      }
      const file = await client.send({
        method: 'GET',
        url: output.url,
        maxBytes: MAX_IMAGE_BYTES,
        signal,
      });
      return imageResult(file.body, (problem) => client.malformed(file, problem));
    }
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unreadable URL';
  }
}
