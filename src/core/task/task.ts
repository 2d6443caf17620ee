// The claimed job and its task, as PROTOCOL.md defines them: one schema for the 200 body of
// `claim`, the defaults of each task kind, the legacy (task-less) image job, and the job's prompt.
import { z } from 'zod';
import type { TaskKind } from '../../shared/snapshot.js';

/**
 * Limits on what a job may ask for, checked before any engine sees it: a studio bug or a hostile
 * job must not make the worker allocate gigabytes or run for hours.
 */
export const TASK_LIMITS = {
  promptChars: 20_000,
  messageChars: 100_000,
  messages: 256,
  side: 8_192,
  steps: 500,
  maxTokens: 131_072,
  videoSeconds: 120,
  urlChars: 4_096,
  idChars: 256,
  stops: 8,
  stopChars: 256,
} as const;

const prompt = z.string().max(TASK_LIMITS.promptChars);
const side = z.number().int().positive().max(TASK_LIMITS.side);

const messageSchema = z.object({
  role: z.string().max(64),
  content: z.string().max(TASK_LIMITS.messageChars).nullable().default(''),
});

const imageTask = z.object({
  kind: z.literal('image'),
  prompt,
  width: side.default(512),
  height: side.default(512),
  steps: z.number().int().positive().max(TASK_LIMITS.steps).default(20),
  seed: z.number().int().nullable().default(null),
  ext: z.string().max(16).default('webp'),
});
const llmTask = z.object({
  kind: z.literal('llm'),
  messages: z.array(messageSchema).max(TASK_LIMITS.messages),
  max_tokens: z.number().int().positive().max(TASK_LIMITS.maxTokens).default(512),
  temperature: z.number().min(0).max(2).default(0.7),
  // Optional extensions (OpenAI's names), honoured by engines that can: same seed, same reply.
  seed: z.number().int().nullable().optional(),
  stop: z
    .union([
      z.string().max(TASK_LIMITS.stopChars),
      z.array(z.string().max(TASK_LIMITS.stopChars)).max(TASK_LIMITS.stops),
    ])
    .optional(),
});
const sttTask = z.object({
  kind: z.literal('audio_stt'),
  input_url: z.string().max(TASK_LIMITS.urlChars),
  language: z.string().max(32).nullable().default(null),
});
const ttsTask = z.object({
  kind: z.literal('audio_tts'),
  text: prompt,
  voice: z.string().max(64).default('default'),
  ext: z.string().max(16).default('wav'),
});
const videoTask = z.object({
  kind: z.literal('video'),
  prompt,
  seconds: z.number().positive().max(TASK_LIMITS.videoSeconds).default(2.0),
  width: side.default(512),
  height: side.default(512),
  ext: z.string().max(16).default('mp4'),
});

export const taskSchema = z.discriminatedUnion('kind', [
  imageTask,
  llmTask,
  sttTask,
  ttsTask,
  videoTask,
]);
export type Task = z.infer<typeof taskSchema>;
export type ImageTask = z.infer<typeof imageTask>;
export type LlmTask = z.infer<typeof llmTask>;
export type SttTask = z.infer<typeof sttTask>;
export type TtsTask = z.infer<typeof ttsTask>;
export type VideoTask = z.infer<typeof videoTask>;

/** The 200 body of `claim`. Unknown fields are ignored (zod strips them). */
export const claimedJobSchema = z.object({
  jobId: z.string().min(1).max(TASK_LIMITS.idChars),
  gameId: z.string().max(TASK_LIMITS.idChars),
  assetName: z.string().max(TASK_LIMITS.idChars),
  model: z.string().max(TASK_LIMITS.idChars),
  vramGbEstimate: z.number().finite().min(0),
  prompt: prompt.default(''),
  ext: z.string().max(16).default('webp'),
  task: taskSchema.optional(),
});
export type ClaimedJob = z.infer<typeof claimedJobSchema>;

/** The task to run: the job's own, or the legacy image job built from top-level prompt/ext. */
export function resolveTask(job: ClaimedJob): Task {
  if (job.task) return job.task;
  return imageTask.parse({ kind: 'image', prompt: job.prompt, ext: job.ext });
}

/** The prompt shown in the UI and sent back with the result (PROTOCOL.md, "The claimed job"). */
export function promptFor(task: Task): string {
  switch (task.kind) {
    case 'image':
    case 'video':
      return task.prompt;
    case 'llm':
      return task.messages.at(-1)?.content ?? '';
    case 'audio_stt':
      return task.input_url;
    case 'audio_tts':
      return task.text;
    default:
      return assertNever(task);
  }
}

/** The message an engine uses when it does not do a kind; such failures are not retryable. */
export function cannotServeMessage(engine: string, kind: TaskKind): string {
  return `${engine} engine cannot serve ${kind} tasks`;
}

export function isUnsupportedKind(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes('cannot serve');
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
