// The claimed job and its task, as PROTOCOL.md defines them: one schema for the 200 body of
// `claim`, the defaults of each task kind, the legacy (task-less) image job, and the job's prompt.
import { z } from 'zod';
import type { TaskKind } from '../../shared/snapshot.js';

const messageSchema = z.object({ role: z.string(), content: z.string().nullable().default('') });

const imageTask = z.object({
  kind: z.literal('image'),
  prompt: z.string(),
  width: z.number().int().positive().default(512),
  height: z.number().int().positive().default(512),
  steps: z.number().int().positive().default(20),
  seed: z.number().int().nullable().default(null),
  ext: z.string().default('webp'),
});
const llmTask = z.object({
  kind: z.literal('llm'),
  messages: z.array(messageSchema),
  max_tokens: z.number().int().positive().default(512),
  temperature: z.number().default(0.7),
});
const sttTask = z.object({
  kind: z.literal('audio_stt'),
  input_url: z.string(),
  language: z.string().nullable().default(null),
});
const ttsTask = z.object({
  kind: z.literal('audio_tts'),
  text: z.string(),
  voice: z.string().default('default'),
  ext: z.string().default('wav'),
});
const videoTask = z.object({
  kind: z.literal('video'),
  prompt: z.string(),
  seconds: z.number().positive().default(2.0),
  width: z.number().int().positive().default(512),
  height: z.number().int().positive().default(512),
  ext: z.string().default('mp4'),
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
  jobId: z.string().min(1),
  gameId: z.string(),
  assetName: z.string(),
  model: z.string(),
  vramGbEstimate: z.number(),
  prompt: z.string().default(''),
  ext: z.string().default('webp'),
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
