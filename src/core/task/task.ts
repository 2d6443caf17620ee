// The claimed job and its task, as PROTOCOL.md defines them: one schema for the 200 body of
// `claim`, the defaults of each task kind, the legacy (task-less) image job, and the job's prompt.
import { z } from 'zod';
import type { TaskKind } from '../../shared/snapshot.js';
import { errorMessage } from '../errors/message.js';

/**
 * What the protocol itself bounds. A job beyond these breaks the protocol and is failed for good;
 * how much this machine takes (prompt length, picture size, …) is a separate, configurable
 * question, answered by `jobLimitProblem` (limits.ts) with a retryable failure.
 */
export const PROTOCOL_LIMITS = {
  idChars: 256,
  /** The original worker reads sizes, steps and token counts as u32. */
  u32: 4_294_967_295,
  stops: 8,
  stopChars: 256,
} as const;

/** Seeds are u64 in the original worker; negative ones (-1 = "random" to many UIs) are kept too. */
export const SEED_MIN = -(2n ** 63n);
export const SEED_MAX = 2n ** 64n - 1n;

const wholeU32 = z.number().int().min(0).max(PROTOCOL_LIMITS.u32);

/**
 * A seed, kept exact as a bigint. The claim parser hands over the studio's digits as a bigint
 * (JSON.parse would round them past 2^53); an integer number, e.g. from a test, is converted.
 */
const exactSeed = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value),
  z
    .bigint({ error: 'must be a whole number (a u64)' })
    .min(SEED_MIN, { error: 'must be a whole number from -2^63 to 2^64-1' })
    .max(SEED_MAX, { error: 'must be a whole number from -2^63 to 2^64-1 (a u64)' }),
);
const seed = exactSeed.nullable().default(null);

const messageSchema = z.object({
  role: z.string().max(64),
  content: z.string().nullable().default(''),
});

const imageTask = z.object({
  kind: z.literal('image'),
  prompt: z.string(),
  width: wholeU32.default(512),
  height: wholeU32.default(512),
  steps: wholeU32.default(20),
  seed,
  ext: z.string().max(16).default('webp'),
});
const llmTask = z.object({
  kind: z.literal('llm'),
  messages: z.array(messageSchema),
  max_tokens: wholeU32.default(512),
  // Any finite number, as the original's f32: an engine that cannot use it says so (retryable).
  temperature: z.number().finite().default(0.7),
  // Optional extensions (OpenAI's names), honoured by engines that can: same seed, same reply.
  seed: exactSeed.nullable().optional(),
  stop: z
    .union([
      z.string().max(PROTOCOL_LIMITS.stopChars),
      z.array(z.string().max(PROTOCOL_LIMITS.stopChars)).max(PROTOCOL_LIMITS.stops),
    ])
    .optional(),
});
const sttTask = z.object({
  kind: z.literal('audio_stt'),
  input_url: z.string(),
  language: z.string().max(32).nullable().default(null),
});
const ttsTask = z.object({
  kind: z.literal('audio_tts'),
  text: z.string(),
  voice: z.string().max(64).default('default'),
  ext: z.string().max(16).default('wav'),
});
const videoTask = z.object({
  kind: z.literal('video'),
  prompt: z.string(),
  seconds: z.number().finite().min(0).default(2.0),
  width: wholeU32.default(512),
  height: wholeU32.default(512),
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

/**
 * Whether an id can stand as one segment of a URL path. `.` and `..` cannot: every URL parser
 * resolves them (percent-encoded too) into another route, so a job with such an id could be
 * neither completed nor failed.
 */
export function isRoutableId(id: string): boolean {
  return id !== '' && id !== '.' && id !== '..';
}

/** The message for an id that isRoutableId refuses. */
export const UNROUTABLE_ID_MESSAGE =
  'must not be "." or ".." (a URL path cannot carry it, so the result could not be delivered)';

/** The 200 body of `claim`. Unknown fields are ignored (zod strips them). */
export const claimedJobSchema = z.object({
  jobId: z
    .string()
    .min(1)
    .max(PROTOCOL_LIMITS.idChars)
    .refine(isRoutableId, { message: UNROUTABLE_ID_MESSAGE }),
  gameId: z.string().max(PROTOCOL_LIMITS.idChars),
  assetName: z.string().max(PROTOCOL_LIMITS.idChars),
  model: z.string().max(PROTOCOL_LIMITS.idChars),
  vramGbEstimate: z.number().finite().min(0),
  prompt: z.string().default(''),
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
  const message = errorMessage(error);
  return message.includes('cannot serve');
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
