// How every server-backed engine talks to its server: one HTTP call with a deadline, the job's
// cancellation (the request is aborted, not left running), a cap on the answer's size, and
// errors that say which server said what — with the engine's secrets redacted from each message.
import { readCapped } from '../../net/body.js';
import { firstHeader } from '../../net/headers.js';
import { networkErrorCode } from '../../net/text.js';
import { stringifyExact } from '../../net/exact-json.js';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { describeIssues } from '../../studio/failures.js';
import { redactorFor, type Redactor } from '../../secrets/redact.js';
import { abortedError } from '../abort.js';
import { serverMessage } from './server-message.js';
import { errorMessage } from '../../errors/message.js';

const MIB = 1024 * 1024;
/** The most a JSON answer without images may have. */
export const MAX_JSON_BYTES = 8 * MIB;
/** The most one image may have, as bytes. */
export const MAX_IMAGE_BYTES = 64 * MIB;
/** A JSON answer carrying one image: MAX_IMAGE_BYTES as base64 is 85.3 MiB, plus its metadata. */
export const MAX_IMAGE_JSON_BYTES = 96 * MIB;
/** Enough of an error answer for a message; the rest is dropped with the connection. */
const ERROR_BODY_BYTES = 16 * 1024;
/** A local server that does not accept a connection in this time is not there. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** An engine's server failed: it could not be reached, answered an error, or broke its API. */
export class EngineServerError extends Error {
  /** The HTTP status, when the server answered with one. */
  readonly status: number | undefined;
  /** Whether the server answered at all (with an error status or a body that broke its API). */
  readonly reached: boolean;
  /** An error answer's body (its first 16 KiB, secrets redacted), for engines that read its JSON. */
  readonly body: string | undefined;

  constructor(
    message: string,
    init: { status?: number | undefined; reached: boolean; body?: string | undefined },
  ) {
    super(message);
    this.name = 'EngineServerError';
    this.status = init.status;
    this.reached = init.reached;
    this.body = init.body;
  }
}

export interface ServerClientOptions {
  /** The engine's name, first in every message: `openai engine: …`. */
  engine: string;
  /** The server's base URL, without a trailing `/`. */
  baseUrl: string;
  /** The longest a call may take, answer body included, unless the call says otherwise. */
  timeoutMs: number;
  /** Sent with every call (an Authorization header); values must not appear in messages. */
  headers?: Record<string, string>;
  /** Strings that must never appear in a message (api keys). */
  secrets?: readonly string[];
  /** Defaults to an Agent whose only timeout is the connect timeout: calls bring their own. */
  dispatcher?: Dispatcher;
}

export interface SendInit {
  method: 'GET' | 'POST';
  /** An absolute URL: `client.url(path)` for one under base_url. */
  url: string;
  /** Sent as JSON. */
  json?: unknown;
  /** A 2xx body larger than this is refused. */
  maxBytes: number;
  /** The job's signal: when it fires the request is aborted and the call rejects with an AbortError. */
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

/** A 2xx answer, read whole. */
export interface Answer {
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export interface ServerClient {
  readonly engine: string;
  readonly baseUrl: string;
  readonly redact: Redactor;
  /** The absolute URL of `path` (starting with `/`) under base_url. */
  url(path: string): string;
  /** Resolves with a 2xx answer; rejects with an EngineServerError, or an AbortError on cancel. */
  send(init: SendInit): Promise<Answer>;
  /** send, then the body parsed as JSON. */
  sendJson(init: SendInit): Promise<{ answer: Answer; value: unknown }>;
  /**
   * sendJson, then the body checked with `schema`; `what` names what it should hold, for the
   * error: `… answered 200 without <what> (choices: expected array …)`. `raw` is the body as sent.
   */
  sendParsed<S extends z.ZodType>(
    init: SendInit,
    schema: S,
    what: string,
  ): Promise<{ answer: Answer; value: z.output<S>; raw: unknown }>;
  /** The error for a 2xx answer that breaks the server's API: `… answered 200 <problem>`. */
  malformed(answer: Answer, problem: string): EngineServerError;
}

/** How far a call got, for saying where a broken connection broke. */
interface Progress {
  answered: boolean;
  bytes: number;
}

export function createServerClient(options: ServerClientOptions): ServerClient {
  const { engine, baseUrl } = options;
  const redact = redactorFor(options.secrets ?? []);
  const dispatcher =
    options.dispatcher ??
    new Agent({ headersTimeout: 0, bodyTimeout: 0, connect: { timeout: CONNECT_TIMEOUT_MS } });

  const failure = (
    message: string,
    reached: boolean,
    status?: number,
    body?: string,
  ): EngineServerError =>
    new EngineServerError(redact(`${engine} engine: ${message}`), { status, reached, body });

  const malformed = (answer: Answer, problem: string): EngineServerError =>
    failure(`${answer.url} answered ${answer.status} ${problem}`, true, answer.status);

  async function send(init: SendInit): Promise<Answer> {
    const timeoutMs = init.timeoutMs ?? options.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const progress: Progress = { answered: false, bytes: 0 };
    const counted = (bytes: number) => (progress.bytes += bytes);
    const { url } = init;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      // Exact: a job's seed is a bigint and may be beyond 2^53.
      body = stringifyExact(init.json);
    }
    try {
      const res = await request(url, { method: init.method, headers, body, signal, dispatcher });
      progress.answered = true;
      const status = res.statusCode;
      if (status < 200 || status > 299) {
        // A body that breaks off must not hide the status: the status is what the server said.
        const said = await readCapped(res.body, ERROR_BODY_BYTES, counted).catch(() => undefined);
        const text = redact(said?.data.toString('utf8') ?? '');
        throw failure(`${url} answered ${status}: ${serverMessage(text)}`, true, status, text);
      }
      const declared = Number(firstHeader(res.headers['content-length']) ?? Number.NaN);
      if (declared > init.maxBytes) {
        res.body.destroy();
        throw tooLarge(url, status, `of ${declared} bytes`, init.maxBytes);
      }
      const read = await readCapped(res.body, init.maxBytes, counted);
      if (read.truncated) throw tooLarge(url, status, 'that kept growing', init.maxBytes);
      return {
        url,
        status,
        contentType: firstHeader(res.headers['content-type']),
        body: read.data,
      };
    } catch (error) {
      if (error instanceof EngineServerError) throw error;
      if (init.signal?.aborted) throw abortedError(engine, init.signal);
      if (deadline.aborted) {
        throw failure(
          `${url} did not finish answering within ${seconds(timeoutMs)} s — the server may be ` +
            'busy or stuck; raise timeout_secs in the engine settings if it is only slow',
          progress.answered,
        );
      }
      throw failure(transportProblem(url, error, progress), progress.answered);
    }
  }

  function tooLarge(url: string, status: number, body: string, max: number): EngineServerError {
    return failure(
      `${url} answered ${status} with a body ${body}, over the ${size(max)} limit — refused ` +
        '(is it the right endpoint? is the image too large?)',
      true,
      status,
    );
  }

  async function sendJson(init: SendInit): Promise<{ answer: Answer; value: unknown }> {
    const answer = await send(init);
    try {
      return { answer, value: JSON.parse(answer.body.toString('utf8')) as unknown };
    } catch {
      throw malformed(
        answer,
        `with a body that is not JSON (content-type ${answer.contentType ?? 'none'}, ` +
          `${answer.body.length} bytes) — check base_url points at the right server`,
      );
    }
  }

  return {
    engine,
    baseUrl,
    redact,
    url: (path) => `${baseUrl}${path}`,
    send,
    sendJson,
    async sendParsed(init, schema, what) {
      const { answer, value } = await sendJson(init);
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        throw malformed(answer, `without ${what} (${describeIssues(parsed.error)})`);
      }
      return { answer, value: parsed.data, raw: value };
    },
    malformed,
  };
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused — is the server running? check base_url',
  ENOTFOUND: 'host not found — check base_url',
  EAI_AGAIN: 'host name lookup failed — check base_url',
  EHOSTUNREACH: 'host unreachable — check base_url',
  UND_ERR_CONNECT_TIMEOUT: `no connection within ${CONNECT_TIMEOUT_MS / 1000} s — check base_url`,
};
const CLOSED = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function transportProblem(url: string, error: unknown, progress: Progress): string {
  const code = networkErrorCode(error);
  if (code !== undefined && CLOSED.has(code)) {
    return progress.answered
      ? `${url} broke off its answer after ${progress.bytes} bytes of body (connection closed)`
      : `${url} closed the connection without answering`;
  }
  if (code !== undefined && Object.hasOwn(CAUSES, code)) {
    return `could not reach ${url}: ${CAUSES[code] as string}`;
  }
  const message = errorMessage(error);
  return `could not reach ${url}: ${message}`;
}

function size(bytes: number): string {
  return bytes >= MIB ? `${Number((bytes / MIB).toFixed(1))} MiB` : `${bytes} bytes`;
}

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}
