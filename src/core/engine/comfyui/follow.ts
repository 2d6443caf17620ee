// One prompt from queueing to its outputs. The socket is opened first so no message is missed;
// the prompt is looked up before it is queued (a restarted worker picks up its own prompt); then
// the socket's messages race a poll of /queue and /history/{prompt_id}, because a fully cached
// prompt sends no `executed` and sockets drop. A server that goes away mid-job is waited for and
// the prompt resumed by its id (queued again if the server lost it); a prompt that makes no
// progress for stall_secs is cancelled. Cancelling only ever touches our own prompt_id.
import type { ProgressSink } from '../engine.js';
import { EngineJobError } from '../engine.js';
import { abortedError } from '../abort.js';
import { EngineServerError, type ServerClient } from '../remote/http.js';
import {
  cancelPrompt,
  forgetPrompt,
  historyOf,
  queuePlace,
  submitPrompt,
  type HistoryEntry,
  type QueuePlace,
} from './api.js';
import {
  executionErrorSchema,
  openPromptSocket,
  type ComfyEvent,
  type ExecutionError,
  type PromptSocket,
} from './socket.js';
import type { Graph } from './workflow.js';

const ENGINE = 'comfyui';
/** A server that lost our prompt (it restarted) gets it again, but not forever. */
const MAX_SUBMITS = 3;
/** After `execution_success`, the history entry is written a moment later. */
const HISTORY_TRIES = 20;

export type Outputs = Record<string, Record<string, unknown>>;

export interface FollowOptions {
  client: ServerClient;
  /** ws:// URL of /ws, without the query. */
  wsUrl: string;
  clientId: string;
  promptId: string;
  graph: Graph;
  signal: AbortSignal;
  progress?: ProgressSink | undefined;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  pollMs: number;
  stallMs: number;
  reconnectMs: number;
  oomHoldMs: number;
  /** One poll request's deadline. */
  requestMs: number;
}

type Located = { kind: 'finished'; entry: HistoryEntry } | QueuePlace;

// Long on purpose (over 120 lines): one state machine — socket events, history polls, reconnects
// and the stall watch all move the same few variables; split apart they would pass them around.
/** Runs (or picks up) the prompt and resolves with its outputs; rejects with what went wrong. */
export async function followPrompt(o: FollowOptions): Promise<Outputs> {
  const events: ComfyEvent[] = [];
  let wake: (() => void) | undefined;
  let lastActivity = o.now();
  let socket: PromptSocket | undefined;
  const connect = async () => {
    socket = await openPromptSocket({
      url: `${o.wsUrl}?clientId=${encodeURIComponent(o.clientId)}`,
      promptId: o.promptId,
      openTimeoutMs: Math.min(o.requestMs, 5_000),
      onEvent: (event) => {
        events.push(event);
        lastActivity = o.now();
        wake?.();
      },
      onClose: () => wake?.(),
    });
  };

  let submitted = false;
  try {
    await connect();
    // A restarted worker finds its prompt (queued, running or done) instead of running it twice.
    let found = await locate(o);
    if (found.kind === 'finished') {
      if (found.entry.status?.status_str !== 'error') return outputsOf(o, found.entry, {});
      // An earlier attempt of this job failed here (out of memory, cancelled): the studio gave it
      // back to run again, not to hear the same failure, so the old entry goes.
      await forgetPrompt(o.client, o.promptId, o.signal);
      found = { kind: 'absent' };
    }
    // Marked before the request: a cancel that races the POST must still remove what it queued.
    submitted = true;
    if (found.kind === 'absent') await submit(o);
    return await follow();
  } catch (error) {
    if (o.signal.aborted) {
      if (submitted) await cancelPrompt(o.client, o.promptId);
      throw abortedError(ENGINE, o.signal);
    }
    throw error;
  } finally {
    socket?.close();
  }

  async function follow(): Promise<Outputs> {
    const executed: Outputs = {};
    let submits = 1;
    let unreachableSince: number | undefined;
    let lastPlace = '';
    for (;;) {
      for (let event = events.shift(); event !== undefined; event = events.shift()) {
        const done = await onEvent(event, executed);
        if (done) return done;
      }
      if (o.now() - lastActivity > o.stallMs) {
        await cancelPrompt(o.client, o.promptId);
        throw new EngineJobError(
          `comfyui engine: prompt ${o.promptId} made no progress for ${Math.round(o.stallMs / 1000)} s — ` +
            'cancelled; is ComfyUI stuck? (raise stall_secs in the engine settings if its nodes are only slow)',
          { retryable: true },
        );
      }
      let located: Located | undefined;
      try {
        located = await locate(o);
        unreachableSince = undefined;
      } catch (error) {
        if (o.signal.aborted) throw error;
        if (!(error instanceof EngineServerError) || error.reached) throw error;
        unreachableSince ??= o.now();
        if (o.now() - unreachableSince > o.reconnectMs) {
          throw new EngineJobError(
            `${error.message} — ComfyUI went away during the job and did not come back within ` +
              `${Math.round(o.reconnectMs / 1000)} s (reconnect_secs)`,
            { retryable: true, unreachable: true },
          );
        }
      }
      if (located?.kind === 'finished') {
        // Messages that arrived meanwhile (an error's details, outputs) come first.
        for (let event = events.shift(); event !== undefined; event = events.shift()) {
          const done = await onEvent(event, executed);
          if (done) return done;
        }
        return outputsOf(o, located.entry, executed);
      }
      if (located !== undefined) {
        const place = located.kind === 'pending' ? `pending ${located.ahead}` : located.kind;
        if (place !== lastPlace) lastActivity = o.now();
        lastPlace = place;
        if (located.kind === 'pending') {
          o.progress?.({
            done: 0,
            total: null,
            unit: 'steps',
            stage: `queued in ComfyUI, ${located.ahead} ahead`,
          });
        }
        if (located.kind === 'absent') {
          // Neither queued nor in history: the server restarted and lost it. Queue it again.
          if (submits >= MAX_SUBMITS) {
            throw new EngineJobError(
              `comfyui engine: prompt ${o.promptId} vanished from ComfyUI ${submits} times ` +
                '(the server keeps restarting?) — giving up',
              { retryable: true },
            );
          }
          submits += 1;
          await submit(o);
          lastActivity = o.now();
        }
      }
      if (!socket?.open) await connect();
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (events.length > 0) resolve();
        void o.sleep(o.pollMs, o.signal).then(resolve);
      });
      wake = undefined;
      if (o.signal.aborted) throw abortedError(ENGINE, o.signal);
    }
  }

  /** Handles one message; resolves with the outputs when the prompt is done. */
  async function onEvent(event: ComfyEvent, executed: Outputs): Promise<Outputs | undefined> {
    switch (event.type) {
      case 'progress': {
        const node = event.node === undefined ? undefined : o.graph[event.node];
        o.progress?.({
          done: event.value,
          total: event.max,
          unit: 'steps',
          stage:
            event.node === undefined
              ? undefined
              : `${node?.class_type ?? 'node'} (node ${event.node})`,
        });
        return undefined;
      }
      case 'executed':
        executed[event.node] = event.output;
        return undefined;
      case 'execution_success':
        return outputsAfterSuccess(o, executed);
      case 'execution_error':
        throw executionFailure(o, event.error);
      case 'execution_interrupted':
        throw interrupted(o, event.node);
      default:
        return undefined;
    }
  }
}

async function locate(o: FollowOptions): Promise<Located> {
  // The queue first: a prompt finishing between the two calls is then found in the history,
  // never missed by both.
  const place = await queuePlace(o.client, o.promptId, o.signal, o.requestMs);
  if (place.kind !== 'absent') return place;
  const entry = await historyOf(o.client, o.promptId, o.signal, o.requestMs);
  return entry === undefined ? place : { kind: 'finished', entry };
}

async function submit(o: FollowOptions): Promise<void> {
  const outcome = await submitPrompt(
    o.client,
    { prompt: o.graph, client_id: o.clientId, prompt_id: o.promptId },
    o.signal,
  );
  if (outcome.kind === 'invalid') {
    if (outcome.queued) await cancelPrompt(o.client, o.promptId);
    throw new EngineJobError(`comfyui engine: ComfyUI refused the workflow: ${outcome.problem}`, {
      retryable: false,
    });
  }
}

/** After success the history entry appears a moment later; it is the whole truth (cached nodes too). */
async function outputsAfterSuccess(o: FollowOptions, executed: Outputs): Promise<Outputs> {
  for (let i = 0; i < HISTORY_TRIES; i += 1) {
    const entry = await historyOf(o.client, o.promptId, o.signal, o.requestMs);
    if (entry !== undefined) return outputsOf(o, entry, executed);
    await o.sleep(Math.min(o.pollMs, 250), o.signal);
    if (o.signal.aborted) throw abortedError(ENGINE, o.signal);
  }
  return executed;
}

/** A finished history entry: its outputs, or the error its status messages tell. */
function outputsOf(o: FollowOptions, entry: HistoryEntry, executed: Outputs): Outputs {
  const status = entry.status;
  if (status?.status_str === 'error') {
    for (const [name, data] of status.messages ?? []) {
      if (name === 'execution_error') {
        const parsed = executionErrorSchema.safeParse(data);
        throw executionFailure(o, parsed.success ? parsed.data : {});
      }
      if (name === 'execution_interrupted') {
        const node = (data as { node_id?: unknown } | null)?.node_id;
        throw interrupted(o, node === undefined || node === null ? undefined : String(node));
      }
    }
    throw new EngineJobError(
      `comfyui engine: prompt ${o.promptId} ended with an error (no details in its history)`,
      {
        retryable: true,
      },
    );
  }
  return { ...executed, ...entry.outputs };
}

const OOM = /out ?of ?memory|OutOfMemoryError|Allocation on device/i;

function executionFailure(o: FollowOptions, error: ExecutionError): EngineJobError {
  const node = error.node_id === undefined || error.node_id === null ? '?' : String(error.node_id);
  const type = error.node_type ?? o.graph[node]?.class_type ?? 'unknown node';
  // The first line says what happened; ComfyUI appends tips and a memory summary after it.
  const said = (error.exception_message ?? '').split('\n')[0]?.trim() ?? '';
  const where = `node ${node} (${type})`;
  if (OOM.test(`${error.exception_type ?? ''} ${error.exception_message ?? ''}`)) {
    return new EngineJobError(
      `comfyui engine: out of GPU memory in ${where}: ${said || error.exception_type || 'no details'}`,
      { retryable: true, gpuBusyMs: o.oomHoldMs },
    );
  }
  return new EngineJobError(
    `comfyui engine: ${where} failed: ${error.exception_type ? `${error.exception_type}: ` : ''}${said || 'no message'}`,
    { retryable: true },
  );
}

function interrupted(o: FollowOptions, node: string | undefined): Error {
  if (o.signal.aborted) return abortedError(ENGINE, o.signal);
  return new EngineJobError(
    `comfyui engine: prompt ${o.promptId} was interrupted in ComfyUI${node ? ` at node ${node}` : ''} ` +
      '(cancelled from its page?)',
    { retryable: true },
  );
}
