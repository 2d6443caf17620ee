// The gradio engine, as in the original worker: image tasks on a Gradio 3 app's HTTP API
// (/run/predict). A Gradio app cannot list models, so the studio model ids it serves are
// configured; its health is whether the app answers GET /config.
import type { Dispatcher } from 'undici';
import type { Task } from '../../task/task.js';
import { cannotServeMessage } from '../../task/task.js';
import { MAX_JSON_BYTES, createServerClient } from '../remote/http.js';
import { createModelCatalog, DISCOVERY_TIMEOUT_MS, localModel } from '../remote/models.js';
import { createServerEngine, type ServerEngine } from '../remote/server-engine.js';
import { placeholderValues, predictImage, type PredictOptions } from './predict.js';

export const GRADIO_ENGINE_NAME = 'gradio';
/** Gradio's own port. */
export const GRADIO_DEFAULT_URL = 'http://127.0.0.1:7860';

export interface GradioEngineOptions extends Partial<PredictOptions> {
  baseUrl: string;
  /** The studio model ids this app serves (at least one). */
  models: readonly string[];
  /** Studio model id → the value of the "{model}" placeholder. */
  modelMap?: Readonly<Record<string, string>>;
  timeoutMs: number;
  now?: () => number;
  dispatcher?: Dispatcher;
}

export function createGradioEngine(options: GradioEngineOptions): ServerEngine {
  if (options.models.length === 0) {
    throw new Error(
      'gradio engine needs at least one model id: a Gradio app cannot list its models',
    );
  }
  const modelMap = { ...options.modelMap };
  const predict: PredictOptions = {
    apiName: options.apiName ?? 'predict',
    fnIndex: options.fnIndex,
    inputs: [...(options.inputs ?? ['{prompt}'])],
    outputIndex: options.outputIndex ?? 0,
  };
  const models = [...options.models];
  const client = createServerClient({
    engine: GRADIO_ENGINE_NAME,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const catalog = createModelCatalog({
    async discover(signal) {
      await client.send({
        method: 'GET',
        url: client.url('/config'),
        maxBytes: MAX_JSON_BYTES,
        signal,
        timeoutMs: Math.min(options.timeoutMs, DISCOVERY_TIMEOUT_MS),
      });
    },
    advertise: () => models,
    ...(options.now ? { now: options.now } : {}),
  });

  async function run(model: string, task: Task, signal: AbortSignal) {
    if (task.kind !== 'image') throw new Error(cannotServeMessage(GRADIO_ENGINE_NAME, task.kind));
    return predictImage(
      client,
      predict,
      placeholderValues(task, localModel(modelMap, model)),
      signal,
    );
  }

  return createServerEngine({ name: GRADIO_ENGINE_NAME, kinds: ['image'], models, catalog, run });
}
