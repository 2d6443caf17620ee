// The models an OpenAI-compatible server has: GET /v1/models, or, where that route does not
// exist (Ollama before it added one answers 404), Ollama's own GET /api/tags.
import { z } from 'zod';
import { EngineServerError, MAX_JSON_BYTES, type ServerClient } from '../remote/http.js';

const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1) })),
});
const ollamaTagsSchema = z.looseObject({
  models: z.array(z.looseObject({ name: z.string().min(1) })),
});

/** The server's model names, sorted and without repeats. */
export async function discoverModels(
  client: ServerClient,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<string[]> {
  const get = (path: string) => ({
    method: 'GET' as const,
    url: client.url(path),
    maxBytes: MAX_JSON_BYTES,
    signal,
    timeoutMs,
  });
  try {
    const { value } = await client.sendParsed(get('/v1/models'), modelListSchema, 'a model list');
    return names(value.data.map((model) => model.id));
  } catch (error) {
    if (!(error instanceof EngineServerError && error.status === 404)) throw error;
    try {
      const { value } = await client.sendParsed(get('/api/tags'), ollamaTagsSchema, 'a model list');
      return names(value.models.map((model) => model.name));
    } catch {
      // Not Ollama either: the first answer says best what is wrong.
      throw error;
    }
  }
}

function names(list: string[]): string[] {
  return [...new Set(list)].sort();
}
