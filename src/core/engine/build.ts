// Builds the configured engine by name: a leaf engine from the registry, or `multi` made of the
// config's [[engines]] tables. A leaf engine takes its settings from the one [[engines]] table
// that names it, if there is one. A new engine is one line in ENGINE_FACTORIES.
import { z } from 'zod';
import { TASK_KINDS } from '../../shared/snapshot.js';
import { a1111FromSettings } from './a1111/from-settings.js';
import type { Engine } from './engine.js';
import { comfyFromSettings } from './comfyui/from-settings.js';
import { gradioFromSettings } from './gradio/from-settings.js';
import { llamaFromSettings } from './llama/from-settings.js';
import { gateOnHealth } from './health-gate.js';
import { createMultiEngine, MULTI_ENGINE_NAME, type EngineRoute } from './multi.js';
import { openAiFromSettings } from './openai/from-settings.js';
import { failConfig, parseSettings, type EngineFactory } from './settings.js';
import { syntheticFromSettings } from './synthetic/from-settings.js';

/** Engines that run tasks themselves, by their `engine` name in config.toml. */
const ENGINE_FACTORIES: ReadonlyMap<string, EngineFactory> = new Map([
  ['synthetic', syntheticFromSettings],
  ['openai', openAiFromSettings],
  ['a1111', a1111FromSettings],
  ['gradio', gradioFromSettings],
  ['comfyui', comfyFromSettings],
  ['llama', llamaFromSettings],
]);

/** Every name `engine` may have: the leaf engines, then multi. */
export const KNOWN_ENGINES: readonly string[] = [...ENGINE_FACTORIES.keys(), MULTI_ENGINE_NAME];

export interface BuildEngineOptions {
  /** The config's [[engines]] tables: the routes of `multi`. */
  engines: Record<string, unknown>[];
  /** `supported_models_override`: when non-empty, the models a leaf engine serves for every kind. */
  modelsOverride?: string[];
  /** The folder of config.toml: relative file paths in [[engines]] tables are read from it. */
  configDir?: string | undefined;
}

/** The keys every [[engines]] table shares; the rest belong to the engine it names. */
const entrySchema = z.looseObject({
  engine: z.string().min(1),
  kinds: z.array(z.enum(TASK_KINDS)).min(1).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
});

export function buildEngine(name: string, options: BuildEngineOptions): Engine {
  const override = [...new Set(options.modelsOverride ?? [])];
  if (name === MULTI_ENGINE_NAME) {
    if (override.length > 0) {
      failConfig(
        'supported_models_override cannot be used with engine = "multi" — ' +
          'set models = [...] on each [[engines]] table instead',
      );
    }
    return buildMulti(options.engines, options.configDir);
  }
  const factory = ENGINE_FACTORIES.get(name);
  if (!factory) {
    failConfig(`unknown engine: ${name} (known engines: ${KNOWN_ENGINES.join(', ')})`);
  }
  const models = override.length > 0 ? override : undefined;
  const tables = options.engines
    .map((entry, index) => ({ entry, where: `engines[${index}]` }))
    .filter(({ entry }) => entry.engine === name);
  if (tables.length > 1) {
    failConfig(
      `engine = "${name}" takes its settings from one [[engines]] table, but ` +
        `${tables.map((t) => t.where).join(', ')} all name it — ` +
        'keep one, or set engine = "multi" to run them side by side',
    );
  }
  const table = tables[0];
  if (table === undefined) {
    return gateOnHealth(
      factory({
        where: `engine = "${name}"`,
        models,
        options: {},
        configDir: options.configDir,
      }),
    );
  }
  // The table's own models win over supported_models_override: they are the more specific.
  return routeFor(table.entry, table.where, options.configDir, models).engine;
}

function buildMulti(entries: Record<string, unknown>[], configDir: string | undefined): Engine {
  if (entries.length === 0) {
    failConfig(
      'engine = "multi" needs at least one [[engines]] table in config.toml ' +
        '(for example engine = "synthetic", kinds = ["image"])',
    );
  }
  return createMultiEngine(
    entries.map((entry, index) => routeFor(entry, `engines[${index}]`, configDir)),
  );
}

function routeFor(
  entry: unknown,
  where: string,
  configDir: string | undefined,
  defaultModels?: string[],
): EngineRoute {
  const {
    engine: name,
    kinds,
    models = defaultModels,
    ...options
  } = parseSettings(entrySchema, entry, where);
  if (name === MULTI_ENGINE_NAME) {
    failConfig(`${where}.engine: multi cannot be nested inside multi — list its engines instead`);
  }
  const factory = ENGINE_FACTORIES.get(name);
  if (!factory) {
    failConfig(
      `${where}.engine: unknown engine: ${name} ` +
        `(known engines: ${[...ENGINE_FACTORIES.keys()].join(', ')}) — fix ${where} in config.toml`,
    );
  }
  // Each server-backed engine is gated on its own health, so in multi only its route drops out.
  const engine = gateOnHealth(factory({ where, kinds, models, options, configDir }));
  return { engine, kinds, models };
}
