// The synthetic engine: runs every task kind on the CPU with real, decodable, deterministic
// outputs (pictures, chat completions, transcripts, WAV speech, animations). It lets the worker,
// the demo and the tests exercise the whole job path on machines without a GPU.
import { abortableDelay, nextTurn, throwIfAborted, untilAborted } from '../abort.js';
import type { Engine, EngineCapabilities, EngineResult } from '../engine.js';
import { assertNever, cannotServeMessage, type Task } from '../../task/task.js';
import { TASK_KINDS, type TaskKind } from '../../../shared/snapshot.js';
import { speak, transcribe } from './audio.js';
import { generateImage } from './image.js';
import { complete } from './llm.js';
import { generateVideo } from './video.js';

export const SYNTHETIC_ENGINE_NAME = 'synthetic';

/** The model named after each kind (`synthetic-image`, …): the demo's and the tests' choice. */
export const SYNTHETIC_KIND_MODELS = {
  image: 'synthetic-image',
  llm: 'synthetic-llm',
  audio_stt: 'synthetic-stt',
  audio_tts: 'synthetic-tts',
  video: 'synthetic-video',
} as const satisfies Record<TaskKind, string>;

/**
 * The models the synthetic engine serves unless told otherwise: the same ids as the original
 * worker's synthetic engine, so the jobs an original studio queues for it (model `synthetic`,
 * `flux1-dev`, `whisper-medium`, …) run here too. Each kind's own id comes first.
 */
export const SYNTHETIC_MODELS: EngineCapabilities = {
  image: [SYNTHETIC_KIND_MODELS.image, 'flux1-dev', 'flux1-dev-i2i', 'sdxl-1.0', 'synthetic'],
  llm: [SYNTHETIC_KIND_MODELS.llm, 'llama-3.1-8b-instruct-q4', 'synthetic'],
  audio_stt: [SYNTHETIC_KIND_MODELS.audio_stt, 'whisper-medium', 'synthetic'],
  audio_tts: [SYNTHETIC_KIND_MODELS.audio_tts, 'piper-en', 'synthetic'],
  video: [SYNTHETIC_KIND_MODELS.video, 'synthetic'],
};

export interface SyntheticEngineOptions {
  /** Waits this long before each run, to imitate a slow GPU (the wait is abortable). */
  delayMs?: number;
  /** The models served per kind; a kind that is absent is not served. Default SYNTHETIC_MODELS. */
  models?: EngineCapabilities;
}

export function createSyntheticEngine(options: SyntheticEngineOptions = {}): Engine {
  const delayMs = options.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new Error(`synthetic engine delayMs must be a finite number >= 0 (got ${delayMs})`);
  }
  const models = copyCapabilities(options.models ?? SYNTHETIC_MODELS);
  return {
    name: SYNTHETIC_ENGINE_NAME,
    capabilities: () => copyCapabilities(models),
    async run(model, task, signal) {
      throwIfAborted(SYNTHETIC_ENGINE_NAME, signal);
      const served = models[task.kind];
      if (!served) throw new Error(cannotServeMessage(SYNTHETIC_ENGINE_NAME, task.kind));
      if (!served.includes(model)) {
        throw new Error(
          `synthetic engine does not have model ${model} for ${task.kind} tasks ` +
            `(it has: ${served.join(', ') || 'none'}) — check the job's model or the configured models`,
        );
      }
      if (delayMs > 0) await abortableDelay(SYNTHETIC_ENGINE_NAME, delayMs, signal);
      const checkpoint = (): Promise<void> => nextTurn(SYNTHETIC_ENGINE_NAME, signal);
      return untilAborted(SYNTHETIC_ENGINE_NAME, signal, produce(model, task, checkpoint));
    },
  };
}

async function produce(
  model: string,
  task: Task,
  checkpoint: () => Promise<void>,
): Promise<EngineResult> {
  switch (task.kind) {
    case 'image':
      return generateImage(task, checkpoint);
    case 'llm':
      return { type: 'json', value: complete(model, task) };
    case 'audio_stt':
      return { type: 'json', value: transcribe(task) };
    case 'audio_tts':
      return speak(task);
    case 'video':
      return generateVideo(task, checkpoint);
    default:
      return assertNever(task);
  }
}

/** A copy in canonical kind order, so callers can neither see nor cause later changes. */
function copyCapabilities(capabilities: EngineCapabilities): EngineCapabilities {
  const copy: EngineCapabilities = {};
  for (const kind of TASK_KINDS) {
    const models = capabilities[kind];
    if (models) copy[kind] = [...models];
  }
  return copy;
}
