// Builds the openai engine from config.toml. Its keys, besides the shared ones of every
// server-backed engine (base_url, allow_remote, timeout_secs, model_map — see remote/options.ts):
//
//   [[engines]]
//   engine = "openai"
//   base_url = "http://127.0.0.1:11434"   # default: Ollama; "…/v1" is accepted too
//   api_key = "sk-…"                      # optional, sent as a Bearer token; a secret
//   images = true                         # optional: the server has /v1/images/generations
//   model_map = { "llama-3-8b" = "llama3:latest" }
//
// Without `models = [...]` the engine advertises the models the server lists.
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { parseSettings, type EngineSettings } from '../settings.js';
import { kindsFrom, remoteKeys, remoteOptionsFrom } from '../remote/options.js';
import { createOpenAiEngine, OPENAI_DEFAULT_URL, OPENAI_ENGINE_NAME } from './index.js';

const optionsSchema = z.strictObject({
  ...remoteKeys,
  api_key: z
    .string()
    .min(1)
    .regex(/^[^\r\n\0]*$/, { error: 'must be one line: an HTTP header cannot carry line breaks' })
    .optional(),
  images: z.boolean().optional(),
});

export function openAiFromSettings(settings: EngineSettings): Engine {
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  const kinds = kindsFrom(
    OPENAI_ENGINE_NAME,
    settings,
    options.images === true ? ['image', 'llm'] : ['llm'],
    { image: `set images = true in ${settings.where} if the server has /v1/images/generations` },
  );
  return createOpenAiEngine({
    ...remoteOptionsFrom(options, settings, OPENAI_DEFAULT_URL),
    apiKey: options.api_key,
    kinds,
    models: settings.models,
  });
}
