// The checkpoints an AUTOMATIC1111-style server (A1111, Forge, SD.Next) has, from
// GET /sdapi/v1/sd-models, and which of them a studio model id asks for.
import { z } from 'zod';
import { MAX_JSON_BYTES, type ServerClient } from '../remote/http.js';

const checkpointsSchema = z.array(
  z.looseObject({ title: z.string().min(1), model_name: z.string().min(1) }),
);

/** `model_name` is the file's base name; `title` adds the extension and hash, as the UI shows it. */
export interface Checkpoint {
  title: string;
  model_name: string;
}

export async function discoverCheckpoints(
  client: ServerClient,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<Checkpoint[]> {
  const { value } = await client.sendParsed(
    {
      method: 'GET',
      url: client.url('/sdapi/v1/sd-models'),
      maxBytes: MAX_JSON_BYTES,
      signal,
      timeoutMs,
    },
    checkpointsSchema,
    'a checkpoint list',
  );
  return value.map(({ title, model_name }) => ({ title, model_name }));
}

/**
 * What to put in override_settings.sd_model_checkpoint for a local name: the title of the
 * checkpoint with that model_name or title, which the server resolves without guessing; a name
 * it did not list is sent as it is, and the server says whether it knows it.
 */
export function checkpointFor(
  local: string,
  checkpoints: readonly Checkpoint[] | undefined,
): string {
  const found = checkpoints?.find((c) => c.model_name === local || c.title === local);
  return found?.title ?? local;
}
