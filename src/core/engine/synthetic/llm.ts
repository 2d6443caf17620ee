// Synthetic llm tasks: an OpenAI-shaped chat completion whose reply is seeded by the messages.
// Tokens are counted as words; max_tokens cuts the reply and then finish_reason is 'length'.
import type { LlmTask } from '../../task/task.js';
import { createRandom, hashHex, hash32, intBetween } from './seed.js';
import { prose, wordsOf } from './words.js';

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string };
    finish_reason: 'stop' | 'length';
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Words of the last message echoed at the start of the reply, so replies visibly follow prompts. */
const ECHOED_WORDS = 6;

export function complete(model: string, task: LlmTask): ChatCompletion {
  const contents = task.messages.map((message) => message.content ?? '');
  const conversation = JSON.stringify(
    task.messages.map((message) => [message.role, message.content ?? '']),
  );
  const random = createRandom(hash32(`llm:${conversation}`));
  const asked = wordsOf(contents.at(-1) ?? '').slice(0, ECHOED_WORDS);
  const opening = asked.length > 0 ? `You asked: ${asked.join(' ')}.` : 'Hello.';
  const reply = wordsOf(`${opening} ${prose(random, intBetween(random, 12, 60))}`);
  const kept = reply.slice(0, task.max_tokens);
  const promptTokens = contents.reduce((sum, content) => sum + wordsOf(content).length, 0);
  return {
    id: `chatcmpl-synthetic-${hashHex(`${model}\n${conversation}`)}`,
    object: 'chat.completion',
    // A fixed time: the same task must give the same result, byte for byte.
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: kept.join(' ') },
        finish_reason: kept.length < reply.length ? 'length' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: kept.length,
      total_tokens: promptTokens + kept.length,
    },
  };
}
