// How much one job may ask of this machine: prompt and message length, picture size, steps,
// tokens, video length. A job beyond them still follows the protocol, so it is handed back as a
// retryable failure (another worker, or this one with higher limits, may take it) with a message
// that names the limit and the config key that raises it — never failed for good as malformed.
import type { WorkerConfig } from '../config/types.js';
import { assertNever, promptFor, type Task } from './task.js';

/** The config keys of the limits, each with its default and the bounds the config accepts. */
export const JOB_LIMIT_KEYS = {
  max_prompt_chars: { default: 20_000, min: 1, max: 33_554_432 },
  max_message_chars: { default: 100_000, min: 1, max: 33_554_432 },
  max_messages: { default: 256, min: 1, max: 1_000_000 },
  max_image_side: { default: 8_192, min: 1, max: 65_536 },
  max_steps: { default: 500, min: 1, max: 100_000 },
  max_llm_tokens: { default: 131_072, min: 1, max: 16_777_216 },
  max_video_secs: { default: 120, min: 1, max: 86_400 },
} as const;

export type JobLimitKey = keyof typeof JOB_LIMIT_KEYS;
export type JobLimits = Record<JobLimitKey, number>;

export const DEFAULT_JOB_LIMITS: Readonly<JobLimits> = Object.freeze(
  Object.fromEntries(
    Object.entries(JOB_LIMIT_KEYS).map(([key, rule]) => [key, rule.default]),
  ) as JobLimits,
);

export function jobLimitsOf(config: Pick<WorkerConfig, JobLimitKey>): JobLimits {
  const limits = {} as JobLimits;
  for (const key of Object.keys(JOB_LIMIT_KEYS) as JobLimitKey[]) limits[key] = config[key];
  return limits;
}

/** Why this machine will not run `task`, or null when it is within every limit. */
export function jobLimitProblem(task: Task, limits: JobLimits): string | null {
  const checks = checksFor(task);
  for (const { what, value, key, atLeast = 1, positive = false } of checks) {
    const limit = limits[key];
    if (value > limit) {
      return (
        `${what} is ${value}, over this worker's limit of ${limit} — ` +
        `raise ${key} in the config to take such jobs`
      );
    }
    if (positive ? value <= 0 : value < atLeast) {
      return `${what} is ${value}; this worker needs ${positive ? 'more than 0' : `at least ${atLeast}`}`;
    }
  }
  return null;
}

interface Check {
  what: string;
  value: number;
  key: JobLimitKey;
  /** Sizes, steps and token counts of 0 follow the protocol (u32) but cannot be run. */
  atLeast?: number;
  /** A length in seconds must be above 0. */
  positive?: boolean;
}

function checksFor(task: Task): Check[] {
  switch (task.kind) {
    case 'image':
      return [
        promptCheck(task),
        { what: 'the width', value: task.width, key: 'max_image_side' },
        { what: 'the height', value: task.height, key: 'max_image_side' },
        { what: 'the number of steps', value: task.steps, key: 'max_steps' },
      ];
    case 'video':
      return [
        promptCheck(task),
        { what: 'the width', value: task.width, key: 'max_image_side' },
        { what: 'the height', value: task.height, key: 'max_image_side' },
        {
          what: 'the length in seconds',
          value: task.seconds,
          key: 'max_video_secs',
          atLeast: 0,
          positive: true,
        },
      ];
    case 'llm':
      return [
        {
          what: 'the number of messages',
          value: task.messages.length,
          key: 'max_messages',
          atLeast: 0,
        },
        {
          what: 'the longest message (characters)',
          // A loop, not Math.max(...list): a list of a million messages would overflow the stack.
          value: task.messages.reduce((longest, m) => Math.max(longest, m.content?.length ?? 0), 0),
          key: 'max_message_chars',
          atLeast: 0,
        },
        { what: 'max_tokens', value: task.max_tokens, key: 'max_llm_tokens' },
      ];
    case 'audio_stt':
    case 'audio_tts':
      return [promptCheck(task)];
    default:
      return assertNever(task);
  }
}

function promptCheck(task: Task): Check {
  const what =
    task.kind === 'audio_stt' ? 'input_url' : task.kind === 'audio_tts' ? 'text' : 'prompt';
  return {
    what: `the ${what} (characters)`,
    value: promptFor(task).length,
    key: 'max_prompt_chars',
    atLeast: 0,
  };
}
