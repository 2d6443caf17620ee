// The a1111 engine: image tasks on AUTOMATIC1111's web UI API, which Forge and SD.Next speak
// too. Its models are the server's checkpoints, by model_name (model_map may name a title).
import type { Dispatcher } from 'undici';
import type { Task } from '../../task/task.js';
import { cannotServeMessage } from '../../task/task.js';
import { createServerClient } from '../remote/http.js';
import {
  advertisedModels,
  createModelCatalog,
  DISCOVERY_TIMEOUT_MS,
  localModel,
} from '../remote/models.js';
import { createServerEngine, type ServerEngine } from '../remote/server-engine.js';
import { checkpointFor, discoverCheckpoints, type Checkpoint } from './models.js';
import { interrupt, txt2img, txt2imgRequest } from './txt2img.js';

export const A1111_ENGINE_NAME = 'a1111';
/** The web UI's own port. */
export const A1111_DEFAULT_URL = 'http://127.0.0.1:7860';

export interface A1111EngineOptions {
  baseUrl: string;
  /** Studio model id → checkpoint model_name or title. */
  modelMap?: Readonly<Record<string, string>>;
  /** Studio model ids to advertise instead of the discovered checkpoints. */
  models?: readonly string[] | undefined;
  /** Extra txt2img fields (sampler_name, cfg_scale, negative_prompt…); the task's fields win. */
  params?: Readonly<Record<string, unknown>>;
  timeoutMs: number;
  now?: () => number;
  dispatcher?: Dispatcher;
}

export function createA1111Engine(options: A1111EngineOptions): ServerEngine {
  const modelMap = { ...options.modelMap };
  const params = { ...options.params };
  const client = createServerClient({
    engine: A1111_ENGINE_NAME,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const discoveryMs = Math.min(options.timeoutMs, DISCOVERY_TIMEOUT_MS);
  const catalog = createModelCatalog({
    discover: (signal) => discoverCheckpoints(client, signal, discoveryMs),
    advertise: (found: Checkpoint[]) =>
      advertisedModels(
        modelMap,
        found.map((c) => c.model_name),
        found.map((c) => c.title),
      ),
    ...(options.now ? { now: options.now } : {}),
  });

  async function run(model: string, task: Task, signal: AbortSignal) {
    if (task.kind !== 'image') throw new Error(cannotServeMessage(A1111_ENGINE_NAME, task.kind));
    const checkpoint = checkpointFor(localModel(modelMap, model), catalog.current());
    const stop = (): void => void interrupt(client).catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    try {
      return await txt2img(client, txt2imgRequest(task, checkpoint, params), signal);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  return createServerEngine({
    name: A1111_ENGINE_NAME,
    kinds: ['image'],
    models: options.models,
    catalog,
    run,
  });
}
