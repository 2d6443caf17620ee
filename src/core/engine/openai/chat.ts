// llm tasks on an OpenAI-compatible server: one non-streaming POST /v1/chat/completions. The
// server's chat completion is the job's result as it came (usage and server fields included).
import { z } from 'zod';
import type { LlmTask } from '../../task/task.js';
import type { EngineResult } from '../engine.js';
import { MAX_JSON_BYTES, type ServerClient } from '../remote/http.js';

/** Just what makes it a chat completion; every other field is passed through untouched. */
const completionSchema = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({ role: z.string() }) })).min(1),
});

/** The request body: the task's messages and limits, for the server's own model name. */
export function chatRequest(localModel: string, task: LlmTask): Record<string, unknown> {
  return {
    model: localModel,
    messages: task.messages.map(({ role, content }) => ({ role, content })),
    max_tokens: task.max_tokens,
    temperature: task.temperature,
    stream: false,
  };
}

export async function chatCompletion(
  client: ServerClient,
  localModel: string,
  task: LlmTask,
  signal: AbortSignal,
): Promise<EngineResult> {
  const { raw } = await client.sendParsed(
    {
      method: 'POST',
      url: client.url('/v1/chat/completions'),
      json: chatRequest(localModel, task),
      maxBytes: MAX_JSON_BYTES,
      signal,
    },
    completionSchema,
    'a chat completion',
  );
  return { type: 'json', value: raw };
}
