import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JOB_LIMITS,
  jobLimitProblem,
  type JobLimits,
} from '../../../src/core/task/limits.js';
import { claimedJobSchema, resolveTask } from '../../../src/core/task/task.js';

const base = { jobId: 'j1', gameId: 'g', assetName: 'a', model: 'm', vramGbEstimate: 4 };
const task = (t: object) => resolveTask(claimedJobSchema.parse({ ...base, task: t }));
const problem = (t: object, limits: JobLimits = DEFAULT_JOB_LIMITS) =>
  jobLimitProblem(task(t), limits);

describe('jobLimitProblem', () => {
  it('finds nothing wrong with a job right at the default limits', () => {
    expect(
      problem({
        kind: 'image',
        prompt: 'x'.repeat(20_000),
        width: 8_192,
        height: 8_192,
        steps: 500,
      }),
    ).toBeNull();
    expect(
      problem({ kind: 'llm', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }),
    ).toBeNull();
  });

  it('names the limit and the config key that raises it for a prompt over 20k characters', () => {
    expect(problem({ kind: 'image', prompt: 'x'.repeat(20_001) })).toBe(
      "the prompt (characters) is 20001, over this worker's limit of 20000 — " +
        'raise max_prompt_chars in the config to take such jobs',
    );
  });

  it('checks each limit with its own key', () => {
    const messages = (n: number, chars = 1) =>
      Array.from({ length: n }, () => ({ role: 'user', content: 'x'.repeat(chars) }));
    expect(problem({ kind: 'llm', messages: messages(1, 100_001) })).toContain('max_message_chars');
    expect(problem({ kind: 'llm', messages: messages(257) })).toContain('max_messages');
    expect(problem({ kind: 'llm', messages: [], max_tokens: 200_000 })).toContain('max_llm_tokens');
    expect(problem({ kind: 'image', prompt: 'p', height: 9_000 })).toContain('max_image_side');
    expect(problem({ kind: 'image', prompt: 'p', steps: 501 })).toContain('max_steps');
    expect(problem({ kind: 'video', prompt: 'p', seconds: 121 })).toContain('max_video_secs');
    expect(problem({ kind: 'audio_tts', text: 'x'.repeat(20_001) })).toContain('max_prompt_chars');
  });

  it('checks a job of half a million messages without overflowing the stack', () => {
    const messages = Array.from({ length: 500_000 }, () => ({ role: 'user', content: 'x' }));
    const limits = { ...DEFAULT_JOB_LIMITS, max_messages: 1_000_000 };
    expect(problem({ kind: 'llm', messages }, limits)).toBeNull();
  });

  it('takes a bigger job once the config raises the limit', () => {
    const raised = { ...DEFAULT_JOB_LIMITS, max_prompt_chars: 50_000 };
    expect(problem({ kind: 'image', prompt: 'x'.repeat(20_001) }, raised)).toBeNull();
  });

  it('refuses sizes of 0 and a video of 0 seconds, which no engine can make', () => {
    expect(problem({ kind: 'image', prompt: 'p', width: 0 })).toBe(
      'the width is 0; this worker needs at least 1',
    );
    expect(problem({ kind: 'video', prompt: 'p', seconds: 0 })).toBe(
      'the length in seconds is 0; this worker needs more than 0',
    );
  });
});
