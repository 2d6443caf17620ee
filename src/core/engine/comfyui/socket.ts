// ComfyUI's WebSocket, /ws?clientId=…: the messages about one prompt, parsed where they enter.
// Text frames are `{type, data}` JSON; binary frames (preview images) are ignored. A socket that
// drops is not an error here: the caller polls /history and may open a new one.
import { WebSocket } from 'undici';
import { z } from 'zod';

/** The messages that concern our prompt, as the run loop reads them. */
export type ComfyEvent =
  | { type: 'execution_start' }
  | { type: 'execution_cached'; nodes: string[] }
  /** node null: the prompt is done executing. */
  | { type: 'executing'; node: string | null }
  | { type: 'progress'; value: number; max: number; node: string | undefined }
  | { type: 'executed'; node: string; output: Record<string, unknown> }
  | { type: 'execution_success' }
  | { type: 'execution_error'; error: ExecutionError }
  | { type: 'execution_interrupted'; node: string | undefined }
  /** Something else happened on the server (a status, another prompt's progress): it is alive. */
  | { type: 'alive' };

export const executionErrorSchema = z.looseObject({
  node_id: z.union([z.string(), z.number()]).nullish(),
  node_type: z.string().nullish(),
  exception_message: z.string().nullish(),
  exception_type: z.string().nullish(),
});
export type ExecutionError = z.infer<typeof executionErrorSchema>;

/** The largest text frame parsed: 1 MiB of JSON. */
export const MAX_TEXT_FRAME_CHARS = 1_048_576;

const messageSchema = z.looseObject({ type: z.string(), data: z.unknown() });
const withPrompt = z.looseObject({ prompt_id: z.string().nullish() });
const nodeId = z.union([z.string(), z.number()]).transform(String);

export interface PromptSocket {
  /** Whether the socket is open now. */
  readonly open: boolean;
  close(): void;
}

export interface SocketOptions {
  /** `ws://host:port/ws?clientId=…` */
  url: string;
  promptId: string;
  onEvent: (event: ComfyEvent) => void;
  /** Called once when the socket closes or fails, after it was open or while opening. */
  onClose: () => void;
  /** How long opening may take. */
  openTimeoutMs: number;
}

/** Opens the socket; resolves once it is open, or with undefined when it could not open in time. */
export function openPromptSocket(options: SocketOptions): Promise<PromptSocket | undefined> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url);
    } catch {
      resolve(undefined);
      return;
    }
    ws.binaryType = 'arraybuffer';
    let opened = false;
    let closed = false;
    // Older servers send progress without a prompt_id: it is ours while our prompt executes.
    let oursExecuting = false;
    const timer = setTimeout(() => {
      if (!opened) {
        finish();
        resolve(undefined);
      }
    }, options.openTimeoutMs);
    timer.unref();
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      try {
        ws.close();
      } catch {
        // Already closing.
      }
      options.onClose();
    };
    ws.addEventListener('open', () => {
      opened = true;
      clearTimeout(timer);
      resolve({
        get open() {
          return !closed;
        },
        close: finish,
      });
    });
    ws.addEventListener('message', (message) => {
      // Binary frames are previews; a text frame past the cap is not ComfyUI's (its largest, an
      // `executed` with many outputs, is kilobytes): skipped unparsed, /history still answers.
      if (typeof message.data !== 'string' || message.data.length > MAX_TEXT_FRAME_CHARS) return;
      const event = parse(message.data, options.promptId, oursExecuting);
      if (event === undefined) return;
      if (event.type === 'executing') oursExecuting = event.node !== null;
      if (event.type === 'execution_start') oursExecuting = true;
      options.onEvent(event);
    });
    ws.addEventListener('error', () => {
      finish();
      if (!opened) resolve(undefined);
    });
    ws.addEventListener('close', () => {
      finish();
      if (!opened) resolve(undefined);
    });
  });
}

/** One text frame as an event about our prompt, `alive` for other traffic, or undefined. */
export function parse(
  text: string,
  promptId: string,
  oursExecuting: boolean,
): ComfyEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const message = messageSchema.safeParse(json);
  if (!message.success) return undefined;
  const { type, data } = message.data;
  const about = withPrompt.safeParse(data);
  const id = about.success ? about.data.prompt_id : undefined;
  const ours =
    id === promptId || ((id === undefined || id === null) && type === 'progress' && oursExecuting);
  if (!ours) return { type: 'alive' };
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  switch (type) {
    case 'execution_start':
      return { type };
    case 'execution_cached': {
      const nodes = z.array(nodeId).safeParse(record.nodes);
      return { type, nodes: nodes.success ? nodes.data : [] };
    }
    case 'executing': {
      const node = nodeId.nullish().safeParse(record.node);
      return { type, node: node.success ? (node.data ?? null) : null };
    }
    case 'progress': {
      const value = Number(record.value);
      const max = Number(record.max);
      if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0) return { type: 'alive' };
      const node = nodeId.safeParse(record.node);
      return { type, value, max, node: node.success ? node.data : undefined };
    }
    case 'executed': {
      const node = nodeId.safeParse(record.node);
      const output = record.output;
      if (!node.success || typeof output !== 'object' || output === null) return { type: 'alive' };
      return { type, node: node.data, output: output as Record<string, unknown> };
    }
    case 'execution_success':
      return { type };
    case 'execution_error': {
      const error = executionErrorSchema.safeParse(data);
      return { type, error: error.success ? error.data : {} };
    }
    case 'execution_interrupted': {
      const node = nodeId.safeParse(record.node_id);
      return { type, node: node.success ? node.data : undefined };
    }
    default:
      return { type: 'alive' };
  }
}
