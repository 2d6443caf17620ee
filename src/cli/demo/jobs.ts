// The demo's mixed batch: every kind of job, with prompts a person would recognise.
import { SYNTHETIC_KIND_MODELS } from '../../core/engine/synthetic/index.js';
import type { TaskKind } from '../../shared/snapshot.js';
import { TASK_KINDS } from '../../shared/snapshot.js';

export interface DemoJob {
  model: string;
  vramGbEstimate: number;
  prompt?: string;
  ext?: string;
  task?: Record<string, unknown>;
}

const PROMPTS = [
  'a lighthouse on a cliff at dawn, watercolour',
  'isometric pixel-art village with a river',
  'a fox in the snow, soft light',
  'retro sci-fi city skyline at night',
  'a bowl of ramen, studio photo',
];

function jobOf(kind: TaskKind, i: number): DemoJob {
  const prompt = PROMPTS[i % PROMPTS.length] as string;
  const model = SYNTHETIC_KIND_MODELS[kind];
  switch (kind) {
    case 'image':
      // Every other image job is a legacy one (no task): the original studio still sends those.
      return i % 2 === 0
        ? { model, vramGbEstimate: 4, task: { kind, prompt, width: 384, height: 256, ext: 'png' } }
        : { model, vramGbEstimate: 4, prompt, ext: 'webp' };
    case 'llm':
      return {
        model,
        vramGbEstimate: 6,
        task: {
          kind,
          messages: [{ role: 'user', content: `Describe: ${prompt}` }],
          max_tokens: 64,
        },
      };
    case 'audio_stt':
      return {
        model,
        vramGbEstimate: 2,
        task: { kind, input_url: `https://example.com/clip-${i}.wav` },
      };
    case 'audio_tts':
      return { model, vramGbEstimate: 2, task: { kind, text: `Job ${i}: ${prompt}` } };
    case 'video':
      return {
        model,
        vramGbEstimate: 8,
        task: { kind, prompt, seconds: 1, width: 192, height: 128 },
      };
  }
}

/** `count` jobs cycling through the five kinds. */
export function demoJobs(count: number): DemoJob[] {
  return Array.from({ length: count }, (_, i) =>
    jobOf(TASK_KINDS[i % TASK_KINDS.length] as TaskKind, i),
  );
}
