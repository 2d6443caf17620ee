// Finds the image and text servers already running on this machine: each usual port on
// 127.0.0.1 is asked one cheap question (all at once, each with its own deadline), and what
// answers is described with its models and the [[engines]] table that would use it. Only
// loopback is probed: detection never scans a network. The ports are arguments so tests (and a
// user whose ComfyUI listens elsewhere) can point it at other ports.
import { z } from 'zod';
import { createServerClient, type ServerClient } from '../remote/http.js';

/** The servers detection knows, by the name the CLI and the window show. */
export const DETECT_SERVERS = [
  'comfyui',
  'a1111',
  'ollama',
  'llamacpp',
  'lmstudio',
  'vllm',
] as const;
export type DetectServer = (typeof DETECT_SERVERS)[number];

/** Each server's usual port. */
export const DEFAULT_DETECT_PORTS: Readonly<Record<DetectServer, number>> = {
  comfyui: 8188,
  a1111: 7860,
  ollama: 11434,
  llamacpp: 8080,
  lmstudio: 1234,
  vllm: 8000,
};

/** What a person calls each server. */
export const DETECT_LABELS: Readonly<Record<DetectServer, string>> = {
  comfyui: 'ComfyUI',
  a1111: 'AUTOMATIC1111/Forge',
  ollama: 'Ollama',
  llamacpp: 'llama.cpp server',
  lmstudio: 'LM Studio',
  vllm: 'vLLM',
};

/** The engine that drives each server (Ollama, llama.cpp, LM Studio and vLLM speak OpenAI's API). */
const ENGINE_OF: Readonly<Record<DetectServer, 'comfyui' | 'a1111' | 'openai'>> = {
  comfyui: 'comfyui',
  a1111: 'a1111',
  ollama: 'openai',
  llamacpp: 'openai',
  lmstudio: 'openai',
  vllm: 'openai',
};

/** A short deadline per port: a local server answers these questions in milliseconds. */
export const DEFAULT_DETECT_TIMEOUT_MS = 1_500;
/** Lists of models are small; a bigger answer is not the server we are looking for. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** At most this many model names are kept per server (a listing is for reading). */
const MAX_MODELS = 200;

export interface DetectedServer {
  server: DetectServer;
  label: string;
  baseUrl: string;
  models: string[];
  /** The [[engines]] table that uses this server. */
  table: { engine: 'comfyui' | 'a1111' | 'openai'; base_url: string };
}

export type ProbeOutcome =
  | { server: DetectServer; port: number; found: true; detected: DetectedServer }
  | { server: DetectServer; port: number; found: false; reason: string };

export interface DetectOptions {
  /** Ports to probe, by server; a server left out is probed on its usual port. */
  ports?: Partial<Record<DetectServer, number>>;
  /** The deadline of each probe (ms). */
  timeoutMs?: number;
  /** Cuts every probe (the user stopped, the window closed). */
  signal?: AbortSignal;
}

/** Parses `name=port` overrides (`comfyui=8189`), bounding each; throws with the bad entry. */
export function parseDetectPorts(
  entries: readonly string[],
): Partial<Record<DetectServer, number>> {
  const ports: Partial<Record<DetectServer, number>> = {};
  // `--port a=1 --port b=2`, or `a=1,b=2` as STUDIO_WORKER_DETECT_PORTS holds them.
  for (const entry of entries.flatMap((e) => e.split(',')).filter((e) => e.trim() !== '')) {
    const match = /^([a-z0-9]+)=(\d{1,5})$/.exec(entry.trim());
    const server = match?.[1] as DetectServer | undefined;
    const port = Number(match?.[2]);
    if (!match || !DETECT_SERVERS.includes(server as DetectServer) || port < 1 || port > 65_535) {
      throw new Error(
        `--port ${JSON.stringify(entry)} is not <server>=<port> with server one of ` +
          `${DETECT_SERVERS.join(', ')} and port 1–65535 (for example comfyui=8189)`,
      );
    }
    ports[server as DetectServer] = port;
  }
  return ports;
}

/** The server `server` on 127.0.0.1:`port`, and the table that uses it. */
export function detectedAt(server: DetectServer, port: number, models: string[]): DetectedServer {
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    label: DETECT_LABELS[server],
    baseUrl,
    models,
    table: { engine: ENGINE_OF[server], base_url: baseUrl },
  };
}

export function isDetectServer(name: string): name is DetectServer {
  return (DETECT_SERVERS as readonly string[]).includes(name);
}

/** The environment variable that moves detection's ports: `comfyui=8189,ollama=11435`. */
export const DETECT_PORTS_ENV = 'STUDIO_WORKER_DETECT_PORTS';

/** The port overrides the environment gives, or a message naming the bad entry. */
export function detectPortsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Partial<Record<DetectServer, number>> {
  const raw = env[DETECT_PORTS_ENV];
  if (raw === undefined || raw.trim() === '') return {};
  try {
    return parseDetectPorts([raw]);
  } catch (error) {
    throw new Error(`${DETECT_PORTS_ENV}: ${(error as Error).message}`);
  }
}

/** Probes every server at once; resolves when each has answered or passed its deadline. */
export async function detectEngines(options: DetectOptions = {}): Promise<ProbeOutcome[]> {
  const timeoutMs = boundTimeout(options.timeoutMs);
  return Promise.all(
    DETECT_SERVERS.map((server) =>
      probe(
        server,
        options.ports?.[server] ?? DEFAULT_DETECT_PORTS[server],
        timeoutMs,
        options.signal,
      ),
    ),
  );
}

function boundTimeout(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_DETECT_TIMEOUT_MS;
  return Math.min(Math.max(ms, 50), 30_000);
}

const modelIds = z.object({ data: z.array(z.object({ id: z.string() })) });
const ollamaTags = z.object({ models: z.array(z.object({ name: z.string() })) });
const a1111Models = z.array(z.object({ model_name: z.string() }));
const comfyStats = z.object({ system: z.object({}).loose() }).loose();
const comfyCheckpoints = z.array(z.string());

async function probe(
  server: DetectServer,
  port: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ProbeOutcome> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = createServerClient({ engine: DETECT_LABELS[server], baseUrl, timeoutMs });
  try {
    const models = (await askModels(server, client, signal)).slice(0, MAX_MODELS);
    return { server, port, found: true, detected: detectedAt(server, port, models) };
  } catch (error) {
    return { server, port, found: false, reason: (error as Error).message };
  }
}

/** Asks the one question that tells this server apart, and reads its models from the answer. */
async function askModels(
  server: DetectServer,
  client: ServerClient,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const get = <S extends z.ZodType>(path: string, schema: S, what: string) =>
    client
      .sendParsed(
        { method: 'GET', url: client.url(path), maxBytes: MAX_ANSWER_BYTES, signal },
        schema,
        what,
      )
      .then((r) => r.value as z.output<S>);
  switch (server) {
    case 'comfyui': {
      await get('/system_stats', comfyStats, 'system stats');
      // Older servers have no /models route: the server is there, its list is not.
      return get('/models/checkpoints', comfyCheckpoints, 'a list of checkpoints').catch(() => []);
    }
    case 'a1111':
      return (await get('/sdapi/v1/sd-models', a1111Models, 'a list of models')).map(
        (m) => m.model_name,
      );
    case 'ollama':
      return (await get('/api/tags', ollamaTags, 'a list of models')).models.map((m) => m.name);
    case 'llamacpp':
      // Old llama.cpp servers have only /health.
      return get('/v1/models', modelIds, 'a list of models')
        .then((v) => v.data.map((m) => m.id))
        .catch(async (error: unknown) => {
          await client
            .send({ method: 'GET', url: client.url('/health'), maxBytes: MAX_ANSWER_BYTES, signal })
            .catch(() => {
              throw error;
            });
          return [];
        });
    case 'lmstudio':
    case 'vllm':
      return (await get('/v1/models', modelIds, 'a list of models')).data.map((m) => m.id);
  }
}
