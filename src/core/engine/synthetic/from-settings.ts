// Builds the synthetic engine from config.toml settings: its kinds and models (the same models
// for every kind when a list is given), and its own key `delay_ms`.
import { z } from 'zod';
import { TASK_KINDS } from '../../../shared/snapshot.js';
import type { Engine, EngineCapabilities } from '../engine.js';
import { parseSettings, type EngineSettings } from '../settings.js';
import { createSyntheticEngine, SYNTHETIC_MODELS } from './index.js';

const optionsSchema = z.strictObject({
  /** Imitates a slow GPU: each run first waits this many milliseconds. */
  delay_ms: z.number().min(0).optional(),
});

export function syntheticFromSettings(settings: EngineSettings): Engine {
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  const models: EngineCapabilities = {};
  for (const kind of settings.kinds ?? TASK_KINDS) {
    models[kind] = [...(settings.models ?? SYNTHETIC_MODELS[kind] ?? [])];
  }
  return createSyntheticEngine({ delayMs: options.delay_ms ?? 0, models });
}
