// Builds the built-in llama engine from config.toml:
//
//   [[engines]]
//   engine = "llama"
//   model_files = { "llama-3.1-8b-instruct-q4" = "/models/llama-3.1-8b-instruct-q4_k_m.gguf" }
//   gpu = "auto"                  # auto | cuda | vulkan | metal | cpu
//   threads = 0                   # 0 = llama.cpp's choice
//   context_size = 4096
//   unload_after_idle_secs = 600  # 0 = unload right after each job
//
// Every value is bounded here; a model file's contents are checked when it is first used and
// by the engine's health check (a missing file is not a config error: it may appear later).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { Engine } from '../engine.js';
import { kindsFrom } from '../remote/options.js';
import { failConfig, parseSettings, type EngineSettings } from '../settings.js';
import { createLlamaEngine, LLAMA_ENGINE_NAME } from './index.js';
import { LLAMA_GPU_CHOICES } from './runtime.js';

export const LLAMA_LIMITS = {
  modelFiles: 64,
  pathChars: 4_096,
  idChars: 256,
  threads: 256,
  minContext: 128,
  maxContext: 262_144,
  /** A week: longer is "never", which a worker that also serves other engines should not do. */
  maxIdleSecs: 604_800,
} as const;

const modelPath = z
  .string()
  .min(1)
  .max(LLAMA_LIMITS.pathChars)
  .regex(/^[^\0]*$/, { error: 'must not contain a NUL character' })
  .refine(isAbsolute, { error: 'must be an absolute path to a .gguf file' });

const optionsSchema = z.strictObject({
  model_files: z
    .record(z.string().min(1).max(LLAMA_LIMITS.idChars), modelPath)
    .refine((files) => Object.keys(files).length > 0, {
      error: 'needs at least one model id = "/path/to/model.gguf"',
    })
    .refine((files) => Object.keys(files).length <= LLAMA_LIMITS.modelFiles, {
      error: `may list at most ${LLAMA_LIMITS.modelFiles} models`,
    }),
  gpu: z.enum(LLAMA_GPU_CHOICES).default('auto'),
  threads: z.number().int().min(0).max(LLAMA_LIMITS.threads).default(0),
  context_size: z
    .number()
    .int()
    .min(LLAMA_LIMITS.minContext)
    .max(LLAMA_LIMITS.maxContext)
    .default(4096),
  unload_after_idle_secs: z.number().min(0).max(LLAMA_LIMITS.maxIdleSecs).default(600),
});

export function llamaFromSettings(settings: EngineSettings): Engine {
  if (Object.keys(settings.options).length === 0) {
    failConfig(
      `${settings.where}: the llama engine needs an [[engines]] table with ` +
        'engine = "llama" and model_files = { "<model id>" = "/path/to/model.gguf" } in config.toml',
    );
  }
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  kindsFrom(LLAMA_ENGINE_NAME, settings, ['llm']);
  const missing = (settings.models ?? []).filter(
    (model) => !Object.hasOwn(options.model_files, model),
  );
  if (missing.length > 0) {
    failConfig(
      `${settings.where}.models: ${missing.map((m) => `"${m}"`).join(', ')} ` +
        `${missing.length === 1 ? 'has' : 'have'} no file in model_files — ` +
        `add ${missing.length === 1 ? 'it' : 'them'} to model_files in ${settings.where}`,
    );
  }
  return createLlamaEngine({
    modelFiles: options.model_files,
    models: settings.models,
    gpu: options.gpu,
    threads: options.threads,
    contextSize: options.context_size,
    unloadAfterIdleMs: options.unload_after_idle_secs * 1000,
  });
}
