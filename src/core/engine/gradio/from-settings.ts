// Builds the gradio engine from config.toml. Its keys, besides the shared ones of every
// server-backed engine (base_url, allow_remote, timeout_secs, model_map — see remote/options.ts):
//
//   [[engines]]
//   engine = "gradio"
//   base_url = "http://127.0.0.1:7860"  # default: Gradio's port
//   models = ["sdxl-turbo"]             # required: the studio model ids this app serves
//   api_name = "predict"                # POST {base_url}/run/{api_name} (default "predict")
//   fn_index = 0                        # optional: sent for Blocks apps without api names
//   inputs = ["{prompt}", "blurry", "{steps}", "{seed}"]   # the `data` list (default ["{prompt}"])
//   output_index = 0                    # which output is the image (default 0)
//
// Placeholders in inputs: {prompt} {width} {height} {steps} {seed} (-1 when the job has none)
// and {model} (the job's model through model_map). An input that is exactly one placeholder
// gets the value with its type; inside a longer string it becomes text ("a photo of {prompt}").
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { failConfig, parseSettings, type EngineSettings } from '../settings.js';
import { kindsFrom, remoteKeys, remoteOptionsFrom } from '../remote/options.js';
import { createGradioEngine, GRADIO_DEFAULT_URL, GRADIO_ENGINE_NAME } from './index.js';

const optionsSchema = z.strictObject({
  ...remoteKeys,
  api_name: z
    .string()
    .regex(/^\/?[A-Za-z0-9_-]+$/, { error: 'must be an endpoint name like "predict"' })
    .optional(),
  fn_index: z.number().int().min(0).optional(),
  inputs: z.array(z.json()).optional(),
  output_index: z.number().int().min(0).optional(),
});

export function gradioFromSettings(settings: EngineSettings): Engine {
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  kindsFrom(GRADIO_ENGINE_NAME, settings, ['image']);
  if (settings.models === undefined || settings.models.length === 0) {
    failConfig(
      `${settings.where}: the gradio engine needs models = ["…"], the studio model ids the app ` +
        'serves (a Gradio app cannot list its models) — or set supported_models_override',
    );
  }
  return createGradioEngine({
    ...remoteOptionsFrom(options, settings, GRADIO_DEFAULT_URL),
    models: settings.models,
    apiName: options.api_name?.replace(/^\//, ''),
    fnIndex: options.fn_index,
    inputs: options.inputs,
    outputIndex: options.output_index,
  });
}
