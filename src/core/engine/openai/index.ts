// The openai engine: any OpenAI-compatible server (Ollama, llama.cpp's llama-server, vLLM,
// LM Studio, LocalAI). llm tasks go to /v1/chat/completions; image tasks, where the server has
// them, to /v1/images/generations. Its models are the server's, discovered from /v1/models.
import type { TaskKind } from '../../../shared/snapshot.js';
import { cannotServeMessage } from '../../task/task.js';
import type { Dispatcher } from 'undici';
import { createServerClient } from '../remote/http.js';
import {
  advertisedModels,
  createModelCatalog,
  DISCOVERY_TIMEOUT_MS,
  localModel,
} from '../remote/models.js';
import { createServerEngine, type ServerEngine } from '../remote/server-engine.js';
import { chatCompletion } from './chat.js';
import { generateImage } from './images.js';
import { discoverModels } from './models.js';

export const OPENAI_ENGINE_NAME = 'openai';
/** Ollama's port: the most common OpenAI-compatible server on a workstation. */
export const OPENAI_DEFAULT_URL = 'http://127.0.0.1:11434';

export interface OpenAiEngineOptions {
  /** The server, with or without its `/v1` suffix (both are common in client settings). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never appears in a message. */
  apiKey?: string | undefined;
  /** Studio model id → the server's model name. */
  modelMap?: Readonly<Record<string, string>>;
  /** Kinds served: llm, and image for servers with /v1/images/generations. Default ['llm']. */
  kinds?: readonly TaskKind[];
  /** Studio model ids to advertise instead of the discovered ones. */
  models?: readonly string[] | undefined;
  /** Longest wait for one answer (model discovery waits at most DISCOVERY_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => number;
  dispatcher?: Dispatcher;
}

export function createOpenAiEngine(options: OpenAiEngineOptions): ServerEngine {
  const modelMap = { ...options.modelMap };
  const apiKey = options.apiKey;
  const client = createServerClient({
    engine: OPENAI_ENGINE_NAME,
    baseUrl: options.baseUrl.replace(/\/v1\/?$/, ''),
    timeoutMs: options.timeoutMs,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    secrets: apiKey ? [apiKey] : [],
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const discoveryMs = Math.min(options.timeoutMs, DISCOVERY_TIMEOUT_MS);
  const catalog = createModelCatalog({
    discover: (signal) => discoverModels(client, signal, discoveryMs),
    advertise: (names: string[]) => advertisedModels(modelMap, names),
    ...(options.now ? { now: options.now } : {}),
  });
  return createServerEngine({
    name: OPENAI_ENGINE_NAME,
    kinds: options.kinds ?? ['llm'],
    models: options.models,
    catalog,
    async run(model, task, signal) {
      const local = localModel(modelMap, model);
      switch (task.kind) {
        case 'llm':
          return chatCompletion(client, local, task, signal);
        case 'image':
          return generateImage(client, local, task, signal);
        default:
          throw new Error(cannotServeMessage(OPENAI_ENGINE_NAME, task.kind));
      }
    },
  });
}
