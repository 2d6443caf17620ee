import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../../../../src/core/engine/synthetic/llm.js';
import { llmTask, runJson } from './tasks.js';

async function chat(overrides: Parameters<typeof llmTask>[0] = {}): Promise<ChatCompletion> {
  return (await runJson(llmTask(overrides))) as ChatCompletion;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

describe('synthetic llm', () => {
  it('returns an OpenAI chat completion for the model', async () => {
    const completion = await chat();
    expect(completion).toMatchObject({
      object: 'chat.completion',
      created: 0,
      model: 'synthetic-llm',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0]!.message.content.length).toBeGreaterThan(0);
  });

  it('counts the words of messages and reply as tokens in usage', async () => {
    const completion = await chat({ messages: [{ role: 'user', content: 'one two  three' }] });
    const reply = completion.choices[0]!.message.content;
    expect(completion.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: words(reply),
      total_tokens: 3 + words(reply),
    });
  });

  it('cuts the reply at max_tokens words and reports finish_reason length', async () => {
    const completion = await chat({ max_tokens: 3 });
    expect(words(completion.choices[0]!.message.content)).toBe(3);
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage.completion_tokens).toBe(3);
  });

  it('answers the same messages with the same completion', async () => {
    expect(await chat()).toEqual(await chat());
  });

  it('answers different messages differently', async () => {
    const harbour = await chat({ messages: [{ role: 'user', content: 'a harbour' }] });
    const forest = await chat({ messages: [{ role: 'user', content: 'a forest' }] });
    expect(forest.choices[0]!.message.content).not.toBe(harbour.choices[0]!.message.content);
    expect(forest.id).not.toBe(harbour.id);
  });

  it('treats a null message content as empty', async () => {
    const completion = await chat({ messages: [{ role: 'assistant', content: null }] });
    expect(completion.usage.prompt_tokens).toBe(0);
  });
});
