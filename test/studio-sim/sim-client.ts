// Test helper: a minimal hand-written studio client (undici over real loopback HTTP), so the
// studio-sim tests speak the wire protocol without depending on the worker's own client.
import { fetch, FormData, type Response } from 'undici';
import type { StudioSim } from '../../src/studio-sim/index.js';

export const API = '/graphics/api';

export interface Registered {
  workerId: string;
  authToken: string;
}

export function capabilities(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    machineName: 'gpu-box',
    username: 'tester',
    agentVersion: '0.2.0',
    engine: 'synthetic',
    vramTotalGb: 24,
    vramThresholdGb: 16,
    autoEnabled: true,
    autoStart: false,
    supportedModels: ['flux-dev', 'llama-3'],
    taskKinds: ['image', 'llm'],
    supportedModelsPerKind: { image: ['flux-dev'], llm: ['llama-3'] },
    ...overrides,
  };
}

export interface PostOptions {
  token?: string;
  json?: unknown;
  body?: string | FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function post(
  sim: StudioSim,
  path: string,
  options: PostOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | FormData | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  return fetch(`${sim.url}${API}/${path}`, {
    method: 'POST',
    headers,
    body,
    signal: options.signal,
  });
}

export async function register(
  sim: StudioSim,
  caps: Record<string, unknown> = capabilities(),
  workerId?: string,
): Promise<Registered> {
  const res = await post(sim, 'workers/register', {
    token: sim.bootstrapToken,
    json: {
      bootstrapToken: sim.bootstrapToken,
      capabilities: caps,
      ...(workerId ? { workerId } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Registered;
}

export function heartbeat(
  sim: StudioSim,
  worker: Registered,
  caps: Record<string, unknown> = capabilities(),
  currentJobId?: string,
): Promise<Response> {
  return post(sim, `workers/${worker.workerId}/heartbeat`, {
    token: worker.authToken,
    json: { capabilities: caps, ...(currentJobId ? { currentJobId } : {}) },
  });
}

export function claim(sim: StudioSim, worker: Registered): Promise<Response> {
  return post(sim, `workers/${worker.workerId}/claim`, { token: worker.authToken });
}

/** Claims and returns the claimed job's id; throws if no job was handed out. */
export async function claimJobId(sim: StudioSim, worker: Registered): Promise<string> {
  const res = await claim(sim, worker);
  if (res.status !== 200) throw new Error(`expected a job, got ${res.status}`);
  return ((await res.json()) as { jobId: string }).jobId;
}

export function resultForm(
  jobId: string,
  bytes: Uint8Array,
  ext: string,
  contentType: string,
  prompt = 'a red fox',
): FormData {
  const form = new FormData();
  form.append('prompt', prompt);
  form.append('ext', ext);
  form.append('image', new Blob([bytes], { type: contentType }), `${jobId}.${ext}`);
  return form;
}

export function complete(
  sim: StudioSim,
  worker: Registered,
  jobId: string,
  form: FormData,
): Promise<Response> {
  return post(sim, `workers/${worker.workerId}/jobs/${jobId}/complete`, {
    token: worker.authToken,
    body: form,
  });
}

export function completeJson(
  sim: StudioSim,
  worker: Registered,
  jobId: string,
  result: unknown,
): Promise<Response> {
  return post(sim, `workers/${worker.workerId}/jobs/${jobId}/complete-json`, {
    token: worker.authToken,
    json: { jobId, prompt: 'hello', result, resultKind: 'json' },
  });
}

export function fail(
  sim: StudioSim,
  worker: Registered,
  jobId: string,
  error: string,
  retryable: boolean,
): Promise<Response> {
  return post(sim, `workers/${worker.workerId}/jobs/${jobId}/fail`, {
    token: worker.authToken,
    json: { error, retryable },
  });
}

/** The `error` message of a JSON error body. */
export async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}
