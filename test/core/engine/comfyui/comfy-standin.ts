// A loopback ComfyUI stand-in: real HTTP routes and a real WebSocket, answering with the message
// and history shapes of ComfyUI's server.py and execution.py. Each queued prompt runs a Plan the
// test chooses (outputs, cached, an error, a hang, a dropped socket, a restart), one at a time.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, sendBinary, sendText } from './ws-frames.js';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
type UiOutput = Record<string, unknown>;

export interface Plan {
  /** Sampler steps reported with `progress` (default 3). */
  steps?: number;
  /** What each output node shows: `{ '9': { images: [{filename, subfolder, type}] } }`. */
  outputs?: Record<string, UiOutput>;
  /** Every node comes from the cache: no executing, progress or executed messages. */
  cached?: boolean;
  /** The prompt fails in a node with this exception. */
  error?: { node_id: string; node_type: string; exception_type: string; exception_message: string };
  /** The prompt never finishes and never reports progress (until interrupted). */
  hang?: boolean;
  /** Closes every socket after this step (the prompt goes on). */
  dropSocketsAfterStep?: number;
  /** The whole server goes away after this step (queue and history lost), for `downMs`. */
  restartAfterStep?: number;
  /** Old servers: `progress` without a prompt_id. */
  progressWithoutPromptId?: boolean;
  /** Runs only when the test calls release() (to inspect the queue meanwhile). */
  held?: boolean;
}

interface QueueItem {
  number: number;
  id: string;
  prompt: Graph;
  extra: { client_id?: string };
  outputs: string[];
}

export interface ComfyStandIn {
  url: string;
  /** How each new prompt runs (default: a PNG from the graph's SaveImage node). */
  plan: (promptId: string, graph: Graph) => Plan;
  checkpoints: string[];
  /** `/models/checkpoints` answers 404 (an older server): the list comes from object_info. */
  noModelsRoute: boolean;
  /** Whether `/api/jobs/{id}/cancel` exists. */
  jobsApi: boolean;
  /** Files /view serves, by `type/subfolder/filename`. */
  files: Map<string, Buffer>;
  /** Every request, `METHOD path` with its JSON body. */
  requests: { route: string; body: unknown }[];
  submits(promptId?: string): number;
  history: Map<string, unknown>;
  running(): QueueItem | undefined;
  pending(): QueueItem[];
  /** Puts a prompt in the queue as if the owner queued it from ComfyUI's page. */
  queueForeign(id: string): void;
  /** Lets a held prompt run. */
  release(): void;
  /** Restarts the server: sockets closed, queue and history lost, refusing connections for ms. */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export function savedFile(filename: string, type = 'output', subfolder = '') {
  return { filename, subfolder, type };
}

export async function startComfyStandIn(): Promise<ComfyStandIn> {
  const sockets = new Map<string, Duplex>();
  const pendingQueue: QueueItem[] = [];
  let current: QueueItem | undefined;
  let interruptCurrent = false;
  let heldRelease: (() => void) | undefined;
  let counter = 0;
  let server: Server;
  let port = 0;
  let down = false;
  const submitted = new Map<string, number>();

  const standIn: ComfyStandIn = {
    url: '',
    plan: (_id, graph) => ({ outputs: defaultOutputs(graph) }),
    checkpoints: ['sd_xl_base_1.0.safetensors', 'SD1.5/v1-5-pruned-emaonly.safetensors'],
    noModelsRoute: false,
    jobsApi: false,
    files: new Map(),
    requests: [],
    submits: (id) =>
      id === undefined
        ? [...submitted.values()].reduce((a, b) => a + b, 0)
        : (submitted.get(id) ?? 0),
    history: new Map(),
    running: () => current,
    pending: () => [...pendingQueue],
    queueForeign(id) {
      pendingQueue.push({ number: counter++, id, prompt: {}, extra: {}, outputs: [] });
    },
    release() {
      heldRelease?.();
    },
    async restart(downMs) {
      down = true;
      for (const socket of sockets.values()) socket.destroy();
      sockets.clear();
      pendingQueue.length = 0;
      current = undefined;
      standIn.history.clear();
      interruptCurrent = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // real time: the server is really away, as a restarting ComfyUI is.
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = listen();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      down = false;
      interruptCurrent = false;
    },
    async close() {
      interruptCurrent = true;
      heldRelease?.();
      for (const socket of sockets.values()) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const queueInfo = () => ({
    exec_info: { queue_remaining: pendingQueue.length + (current ? 1 : 0) },
  });
  const tuple = (item: QueueItem) => [item.number, item.id, item.prompt, item.extra, item.outputs];

  function send(clientId: string | undefined, type: string, data: unknown): void {
    const text = JSON.stringify({ type, data });
    if (clientId !== undefined) {
      const socket = sockets.get(clientId);
      if (socket) sendText(socket, text);
      return;
    }
    for (const socket of sockets.values()) sendText(socket, text);
  }

  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  async function execute(item: QueueItem): Promise<void> {
    const plan = standIn.plan(item.id, item.prompt);
    const client = item.extra.client_id;
    const messages: [string, unknown][] = [];
    const note = (type: string, data: Record<string, unknown>, broadcast = true) => {
      const full = { ...data, prompt_id: item.id, timestamp: Date.now() };
      messages.push([type, full]);
      send(broadcast ? undefined : client, type, full);
    };
    const finish = (status: 'success' | 'error', outputs: Record<string, UiOutput>) => {
      if (down) return;
      standIn.history.set(item.id, {
        prompt: tuple(item),
        outputs,
        status: { status_str: status, completed: status === 'success', messages },
        meta: {},
      });
      current = undefined;
      send(undefined, 'status', { status: queueInfo() });
    };
    if (plan.held) await new Promise<void>((resolve) => (heldRelease = resolve));
    note('execution_start', {});
    const nodes = Object.keys(item.prompt);
    if (plan.cached) {
      note('execution_cached', { nodes });
      await tick();
      send(client, 'executing', { node: null, prompt_id: item.id });
      note('execution_success', {});
      finish('success', plan.outputs ?? {});
      return;
    }
    note('execution_cached', { nodes: [] });
    const sampler =
      nodes.find((id) => item.prompt[id]!.class_type === 'KSampler') ?? nodes[0] ?? '3';
    send(client, 'executing', { node: sampler, display_node: sampler, prompt_id: item.id });
    if (plan.hang) {
      while (!interruptCurrent) await tick();
    }
    const steps = plan.steps ?? 3;
    for (let step = 1; step <= steps && !plan.hang; step += 1) {
      if (interruptCurrent) break;
      await tick();
      const progress: Record<string, unknown> = { value: step, max: steps, node: sampler };
      if (!plan.progressWithoutPromptId) progress.prompt_id = item.id;
      send(client, 'progress', progress);
      // A preview image, as a binary frame: the client must ignore it.
      const socket = client === undefined ? undefined : sockets.get(client);
      if (socket) sendBinary(socket, Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0xff]));
      if (plan.dropSocketsAfterStep === step) {
        for (const s of sockets.values()) s.destroy();
        sockets.clear();
      }
      if (plan.restartAfterStep === step) {
        await standIn.restart(150);
        return;
      }
    }
    if (down) return;
    if (interruptCurrent) {
      interruptCurrent = false;
      note('execution_interrupted', { node_id: sampler, node_type: 'KSampler', executed: [] });
      finish('error', {});
      return;
    }
    if (plan.error) {
      const data = {
        ...plan.error,
        executed: [],
        traceback: ['...'],
        current_inputs: {},
        current_outputs: [],
      };
      messages.push(['execution_error', { ...data, prompt_id: item.id }]);
      send(client, 'execution_error', { ...data, prompt_id: item.id, timestamp: Date.now() });
      finish('error', {});
      return;
    }
    for (const [node, output] of Object.entries(plan.outputs ?? {})) {
      send(client, 'executing', { node, display_node: node, prompt_id: item.id });
      send(client, 'executed', { node, display_node: node, output, prompt_id: item.id });
    }
    note('execution_success', {});
    send(client, 'executing', { node: null, prompt_id: item.id });
    finish('success', plan.outputs ?? {});
  }

  async function worker(): Promise<void> {
    if (current !== undefined) return;
    for (let next = pendingQueue.shift(); next !== undefined; next = pendingQueue.shift()) {
      current = next;
      interruptCurrent = false;
      if (Object.keys(next.prompt).length === 0) {
        // A prompt the owner queued from the page: it sits there until the test removes it.
        pendingQueue.unshift(next);
        current = undefined;
        return;
      }
      await execute(next);
      current = undefined;
    }
  }

  function validate(graph: Graph): Record<string, unknown> {
    const errors: Record<string, unknown> = {};
    for (const [id, node] of Object.entries(graph)) {
      if (node.class_type === 'CheckpointLoaderSimple') {
        const name = node.inputs.ckpt_name;
        if (typeof name !== 'string' || !standIn.checkpoints.includes(name)) {
          errors[id] = {
            errors: [
              {
                type: 'value_not_in_list',
                message: 'Value not in list',
                details: `ckpt_name: '${String(name)}' not in ${JSON.stringify(standIn.checkpoints)}`,
                extra_info: {},
              },
            ],
            dependent_outputs: ['9'],
            class_type: node.class_type,
          };
        }
      }
    }
    return errors;
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    let parsed: unknown;
    try {
      parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    const route = `${req.method} ${url.pathname}`;
    standIn.requests.push({ route, body: parsed });
    const value = (parsed ?? {}) as Record<string, unknown>;
    if (route === 'GET /system_stats') {
      return json(200, {
        system: {
          os: 'posix',
          comfyui_version: '0.3.60',
          python_version: '3.12',
          argv: ['main.py'],
        },
        devices: [
          {
            name: 'cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync',
            type: 'cuda',
            index: 0,
            vram_total: 25_756_696_576,
            vram_free: 20_000_000_000,
            torch_vram_total: 6_000_000_000,
            torch_vram_free: 500_000_000,
          },
        ],
      });
    }
    if (route === 'GET /models/checkpoints') {
      if (standIn.noModelsRoute) return void res.writeHead(404).end();
      return json(200, standIn.checkpoints);
    }
    if (route === 'GET /object_info/CheckpointLoaderSimple') {
      return json(200, {
        CheckpointLoaderSimple: {
          input: {
            required: {
              ckpt_name: [standIn.checkpoints, { tooltip: 'The name of the checkpoint' }],
            },
          },
          name: 'CheckpointLoaderSimple',
        },
      });
    }
    if (route === 'POST /prompt') {
      const graph = value.prompt as Graph | undefined;
      if (graph === undefined)
        return json(400, {
          error: { type: 'no_prompt', message: 'No prompt provided' },
          node_errors: {},
        });
      const errors = validate(graph);
      if (Object.keys(errors).length > 0) {
        return json(400, {
          error: {
            type: 'prompt_outputs_failed_validation',
            message: 'Prompt outputs failed validation',
            details: '',
            extra_info: {},
          },
          node_errors: errors,
        });
      }
      const id = typeof value.prompt_id === 'string' ? value.prompt_id : `uuid-${counter}`;
      submitted.set(id, (submitted.get(id) ?? 0) + 1);
      const item: QueueItem = {
        number: counter++,
        id,
        prompt: graph,
        extra: typeof value.client_id === 'string' ? { client_id: value.client_id } : {},
        outputs: Object.keys(graph).filter((k) => graph[k]!.class_type.startsWith('Save')),
      };
      pendingQueue.push(item);
      json(200, { prompt_id: id, number: item.number, node_errors: {} });
      setImmediate(() => void worker());
      return;
    }
    if (route === 'GET /queue') {
      return json(200, {
        queue_running: current ? [tuple(current)] : [],
        queue_pending: pendingQueue.map(tuple),
      });
    }
    if (route === 'POST /queue') {
      const ids = Array.isArray(value.delete) ? value.delete : [];
      for (const id of ids) {
        const index = pendingQueue.findIndex((item) => item.id === id);
        if (index >= 0) pendingQueue.splice(index, 1);
      }
      return void res.writeHead(200).end();
    }
    if (route === 'POST /interrupt') {
      // As current servers do: with a prompt_id, only that prompt is interrupted.
      if (current && (value.prompt_id === undefined || value.prompt_id === current.id))
        interruptCurrent = true;
      return void res.writeHead(200).end();
    }
    const cancel = /^POST \/api\/jobs\/([^/]+)\/cancel$/.exec(route);
    if (cancel && standIn.jobsApi) {
      const id = decodeURIComponent(cancel[1]!);
      if (current?.id === id) interruptCurrent = true;
      const index = pendingQueue.findIndex((item) => item.id === id);
      if (index >= 0) pendingQueue.splice(index, 1);
      return json(200, { cancelled: true });
    }
    if (route === 'POST /history') {
      const ids = Array.isArray(value.delete) ? value.delete : [];
      for (const id of ids) standIn.history.delete(String(id));
      return void res.writeHead(200).end();
    }
    const history = /^GET \/history\/(.+)$/.exec(route);
    if (history) {
      const id = decodeURIComponent(history[1]!);
      const entry = standIn.history.get(id);
      return json(200, entry === undefined ? {} : { [id]: entry });
    }
    if (route === 'GET /view') {
      const key = `${url.searchParams.get('type') ?? 'output'}/${url.searchParams.get('subfolder') ?? ''}/${url.searchParams.get('filename') ?? ''}`;
      const file = standIn.files.get(key);
      if (file === undefined) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
  }

  function listen(): Server {
    const s = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => handle(req, res, Buffer.concat(chunks)));
    });
    s.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' || !acceptWebSocket(req, socket)) {
        socket.destroy();
        return;
      }
      const sid = url.searchParams.get('clientId') || `sid-${counter++}`;
      sockets.get(sid)?.destroy();
      sockets.set(sid, socket);
      socket.on('close', () => {
        if (sockets.get(sid) === socket) sockets.delete(sid);
      });
      sendText(socket, JSON.stringify({ type: 'status', data: { status: queueInfo(), sid } }));
    });
    return s;
  }

  server = listen();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  standIn.url = `http://127.0.0.1:${port}`;
  return standIn;
}

/** The SaveImage node of a graph shows one PNG, as ComfyUI's SaveImage does. */
function defaultOutputs(graph: Graph): Record<string, UiOutput> {
  const save = Object.keys(graph).find((id) => graph[id]!.class_type === 'SaveImage') ?? '9';
  return { [save]: { images: [savedFile('studio-worker_00001_.png')] } };
}
