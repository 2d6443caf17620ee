// Builds the a1111 engine from config.toml. Its keys, besides the shared ones of every
// server-backed engine (base_url, allow_remote, timeout_secs, model_map — see remote/options.ts):
//
//   [[engines]]
//   engine = "a1111"
//   base_url = "http://127.0.0.1:7860"    # default: the web UI's port (start it with --api)
//   model_map = { "sd15" = "v1-5-pruned-emaonly" }
//   params = { sampler_name = "Euler a", cfg_scale = 7, negative_prompt = "blurry" }
//
// `params` are extra txt2img fields; the task's prompt, size, steps and seed always win.
// Without `models = [...]` the engine advertises the server's checkpoints by model_name.
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { parseSettings, type EngineSettings } from '../settings.js';
import { kindsFrom, remoteKeys, remoteOptionsFrom } from '../remote/options.js';
import { A1111_DEFAULT_URL, A1111_ENGINE_NAME, createA1111Engine } from './index.js';

const optionsSchema = z.strictObject({
  ...remoteKeys,
  params: z.record(z.string(), z.json()).optional(),
});

export function a1111FromSettings(settings: EngineSettings): Engine {
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  kindsFrom(A1111_ENGINE_NAME, settings, ['image']);
  return createA1111Engine({
    ...remoteOptionsFrom(options, settings, A1111_DEFAULT_URL),
    params: options.params ?? {},
    models: settings.models,
  });
}
