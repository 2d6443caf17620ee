// ComfyUI's HTTP routes, one function each, with the shapes its server.py answers checked where
// they enter: queue a prompt, read its history entry and the queue, cancel our own prompt, list
// checkpoints, read /system_stats, fetch an output file through /view.
import { z } from 'zod';
import { EngineServerError, MAX_JSON_BYTES, type ServerClient } from '../remote/http.js';

/** What the server answers small control calls with (interrupt, queue delete): read and dropped. */
const SMALL_BYTES = 64 * 1024;
/** Cancelling must not hold up the job's end: a server that does not answer in this time is left. */
const CANCEL_TIMEOUT_MS = 5_000;

/** One node's validation problems in a /prompt answer: `node_errors[id]`. */
const nodeErrorSchema = z.looseObject({
  class_type: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        message: z.string().optional(),
        details: z.string().optional(),
      }),
    )
    .optional(),
});
export type NodeErrors = Record<string, z.infer<typeof nodeErrorSchema>>;

const queuedSchema = z.looseObject({
  prompt_id: z.string().min(1),
  // Older servers send [] when there are none; newer ones {}.
  node_errors: z.union([z.record(z.string(), nodeErrorSchema), z.array(z.unknown())]).optional(),
});

/** A 400 from /prompt: `{error: {type, message, details} | "text", node_errors}`. */
const rejectedSchema = z.looseObject({
  error: z
    .union([
      z.string(),
      z.looseObject({ message: z.string().optional(), details: z.string().optional() }),
    ])
    .optional(),
  node_errors: z.union([z.record(z.string(), nodeErrorSchema), z.array(z.unknown())]).optional(),
});

export type SubmitOutcome =
  | { kind: 'queued' }
  /**
   * The server refused the graph (400, or 200 with node_errors): the text names node and message.
   * `queued`: a 200 queued the outputs that did validate, so the prompt must be removed again.
   */
  | { kind: 'invalid'; problem: string; queued: boolean };

/** POST /prompt with our own prompt_id, so a restart finds the same prompt again. */
export async function submitPrompt(
  client: ServerClient,
  body: { prompt: unknown; client_id: string; prompt_id: string },
  signal: AbortSignal,
): Promise<SubmitOutcome> {
  try {
    const { answer, value } = await client.sendJson({
      method: 'POST',
      url: client.url('/prompt'),
      json: body,
      maxBytes: MAX_JSON_BYTES,
      signal,
    });
    const parsed = queuedSchema.safeParse(value);
    if (!parsed.success) throw client.malformed(answer, 'without a prompt_id');
    const errors = nodeErrorsOf(parsed.data.node_errors);
    if (errors !== '') return { kind: 'invalid', problem: errors, queued: true };
    return { kind: 'queued' };
  } catch (error) {
    if (error instanceof EngineServerError && error.status === 400) {
      return { kind: 'invalid', problem: rejectionOf(error), queued: false };
    }
    throw error;
  }
}

/** The 400's own words: the overall error, then each node's; else the server client's message. */
function rejectionOf(error: EngineServerError): string {
  let body: unknown;
  try {
    body = JSON.parse(error.body ?? '');
  } catch {
    return error.message;
  }
  const parsed = rejectedSchema.safeParse(body);
  if (!parsed.success) return error.message;
  const said = parsed.data.error;
  const overall =
    typeof said === 'string'
      ? said
      : [said?.message, said?.details].filter((s) => s !== undefined && s !== '').join(': ');
  const nodes = nodeErrorsOf(parsed.data.node_errors);
  return [overall, nodes].filter((s) => s !== '').join(' — ') || error.message;
}

/** `node 4 (CheckpointLoaderSimple): Value not in list: ckpt_name: 'x' not in [...]`, joined. */
export function nodeErrorsOf(value: unknown): string {
  if (value === undefined || Array.isArray(value) || typeof value !== 'object' || value === null)
    return '';
  return Object.entries(value as NodeErrors)
    .map(([id, node]) => {
      const what = (node.errors ?? [])
        .map((e) => [e.message, e.details].filter((s) => s !== undefined && s !== '').join(': '))
        .filter((s) => s !== '')
        .join('; ');
      return `node ${id}${node.class_type ? ` (${node.class_type})` : ''}: ${what || 'invalid'}`;
    })
    .join('; ');
}

/** One output file as history and `executed` list it. */
export interface OutputFile {
  filename: string;
  subfolder?: string;
  type?: string;
}

/** A node's ui output: lists under `images`, `gifs`, `videos`, `audio`, … (other keys kept loose). */
export const nodeOutputSchema = z.record(z.string(), z.unknown());

const historyEntrySchema = z.looseObject({
  outputs: z.record(z.string(), nodeOutputSchema).optional(),
  status: z
    .looseObject({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.tuple([z.string(), z.unknown()]).rest(z.unknown())).optional(),
    })
    .optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** GET /history/{prompt_id}: the entry, or undefined while the prompt is not finished (or unknown). */
export async function historyOf(
  client: ServerClient,
  promptId: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<HistoryEntry | undefined> {
  const { value } = await client.sendParsed(
    {
      method: 'GET',
      url: client.url(`/history/${encodeURIComponent(promptId)}`),
      maxBytes: MAX_JSON_BYTES,
      signal,
      timeoutMs,
    },
    z.record(z.string(), historyEntrySchema),
    'a history object',
  );
  return value[promptId];
}

/** Each queue item is `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
const queueSchema = z.looseObject({
  queue_running: z.array(z.array(z.unknown())),
  queue_pending: z.array(z.array(z.unknown())),
});

export type QueuePlace =
  { kind: 'running' } | { kind: 'pending'; ahead: number } | { kind: 'absent' };

/** Where our prompt is in GET /queue. */
export async function queuePlace(
  client: ServerClient,
  promptId: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<QueuePlace> {
  const { value } = await client.sendParsed(
    { method: 'GET', url: client.url('/queue'), maxBytes: MAX_JSON_BYTES, signal, timeoutMs },
    queueSchema,
    'queue_running and queue_pending',
  );
  if (value.queue_running.some((item) => item[1] === promptId)) return { kind: 'running' };
  const pending = value.queue_pending
    .map((item) => ({ number: Number(item[0]), id: item[1] }))
    .sort((a, b) => a.number - b.number);
  const index = pending.findIndex((item) => item.id === promptId);
  if (index >= 0) return { kind: 'pending', ahead: index + value.queue_running.length };
  return { kind: 'absent' };
}

/**
 * Stops our prompt and only ours. A server with the jobs API cancels it by id; an older one
 * gets /interrupt with our prompt_id (which such servers ignore unless ours is the one running)
 * and a queue delete of our id, so a prompt the owner queued from ComfyUI's page is never hit.
 * Never rejects: the job is ending anyway, and a server that is gone has nothing to cancel.
 */
export async function cancelPrompt(client: ServerClient, promptId: string): Promise<void> {
  const call = (path: string, json: unknown) =>
    client.send({
      method: 'POST',
      url: client.url(path),
      json,
      maxBytes: SMALL_BYTES,
      timeoutMs: CANCEL_TIMEOUT_MS,
    });
  try {
    await call(`/api/jobs/${encodeURIComponent(promptId)}/cancel`, {});
    return;
  } catch (error) {
    // 404/405: a server without the jobs API. Anything else: try the older routes all the same.
    if (!(error instanceof EngineServerError) || !error.reached) return;
  }
  // Only interrupt when ours is the one running: an older server ignores prompt_id in the body
  // and would stop whatever runs, which may be the owner's own prompt.
  const place = await queuePlace(
    client,
    promptId,
    AbortSignal.timeout(CANCEL_TIMEOUT_MS),
    CANCEL_TIMEOUT_MS,
  ).catch(() => undefined);
  if (place?.kind === 'running')
    await call('/interrupt', { prompt_id: promptId }).catch(() => undefined);
  await call('/queue', { delete: [promptId] }).catch(() => undefined);
}

/** POST /history {delete: [id]}: forgets our own prompt's entry, so the job can run again. */
export async function forgetPrompt(
  client: ServerClient,
  promptId: string,
  signal: AbortSignal,
): Promise<void> {
  await client.send({
    method: 'POST',
    url: client.url('/history'),
    json: { delete: [promptId] },
    maxBytes: SMALL_BYTES,
    signal,
    timeoutMs: CANCEL_TIMEOUT_MS,
  });
}

/** GET /models/checkpoints, else the ckpt_name choices of CheckpointLoaderSimple. */
export async function listCheckpoints(
  client: ServerClient,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<string[]> {
  try {
    const { value } = await client.sendParsed(
      {
        method: 'GET',
        url: client.url('/models/checkpoints'),
        maxBytes: MAX_JSON_BYTES,
        signal,
        timeoutMs,
      },
      z.array(z.string()),
      'a list of checkpoint names',
    );
    return value;
  } catch (error) {
    if (!(error instanceof EngineServerError) || error.status !== 404) throw error;
  }
  const { answer, value } = await client.sendParsed(
    {
      method: 'GET',
      url: client.url('/object_info/CheckpointLoaderSimple'),
      maxBytes: MAX_JSON_BYTES,
      signal,
      timeoutMs,
    },
    z.looseObject({
      CheckpointLoaderSimple: z.looseObject({
        input: z.looseObject({
          required: z.looseObject({ ckpt_name: z.array(z.unknown()).min(1) }),
        }),
      }),
    }),
    'CheckpointLoaderSimple',
  );
  const spec = value.CheckpointLoaderSimple.input.required.ckpt_name;
  // Older: [["a.safetensors", …], {…}]. Newer combo inputs: ["COMBO", {options: [...]}].
  const names = Array.isArray(spec[0])
    ? spec[0]
    : (spec[1] as { options?: unknown } | undefined)?.options;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw client.malformed(
      answer,
      'without a list of ckpt_name choices for CheckpointLoaderSimple',
    );
  }
  return names as string[];
}

const systemStatsSchema = z.looseObject({
  system: z.looseObject({ comfyui_version: z.string().optional() }).optional(),
  devices: z.array(
    z.looseObject({
      name: z.string(),
      type: z.string().optional(),
      index: z.number().nullable().optional(),
      vram_total: z.number().optional(),
      vram_free: z.number().optional(),
      torch_vram_total: z.number().optional(),
      torch_vram_free: z.number().optional(),
    }),
  ),
});
export type SystemStats = z.infer<typeof systemStatsSchema>;

export async function systemStats(
  client: ServerClient,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<SystemStats> {
  const { value } = await client.sendParsed(
    {
      method: 'GET',
      url: client.url('/system_stats'),
      maxBytes: MAX_JSON_BYTES,
      signal,
      timeoutMs,
    },
    systemStatsSchema,
    'system stats (devices)',
  );
  return value;
}

/** GET /view for one output file; `maxBytes` caps what is read. */
export async function viewFile(
  client: ServerClient,
  file: OutputFile,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const query = new URLSearchParams({
    filename: file.filename,
    subfolder: file.subfolder ?? '',
    type: file.type ?? 'output',
  });
  const answer = await client.send({
    method: 'GET',
    url: client.url(`/view?${query}`),
    maxBytes,
    signal,
  });
  return answer.body;
}
