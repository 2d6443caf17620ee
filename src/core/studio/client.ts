// The StudioApi over HTTP with undici: the seven routes of PROTOCOL.md, byte-compatible with the
// original worker, with a deadline on the whole of every call (connect, send, answer: a studio
// that trickles its answer cannot hold a call open), calls a stop can cut short, response
// bodies always consumed (no leaked sockets), and every failure turned into a StudioError whose
// message never contains a token.
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { LogEntry } from '../../shared/snapshot.js';
import { readCapped } from '../net/body.js';
import { integerOfLiteral, rawNumberAt } from '../net/exact-json.js';
import { firstHeader } from '../net/headers.js';
import { claimedJobSchema, isRoutableId, UNROUTABLE_ID_MESSAGE } from '../task/task.js';
import type { ClaimResponse, Credentials, StudioApi, StudioOp } from './api.js';
import { StudioError } from './errors.js';
import {
  deadlineFailure,
  describeIssues,
  httpFailure,
  malformedFailure,
  stalledFailure,
  stoppedFailure,
  transportFailure,
} from './failures.js';
import { contentTypeForExt, multipartBody, type MultipartBody } from './multipart.js';
import { redactorFor, type Redactor } from '../secrets/redact.js';
import { errorMessage } from '../errors/message.js';

/** request_timeout_secs' default, as the original worker: 60 s. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * The slowest upload link a result is given time for (1 Mbit/s): an upload's deadline is the
 * request timeout plus its size at this rate, so a large video on a slow link still goes, and
 * a studio that reads a byte now and then cannot hold the worker for ever.
 */
export const UPLOAD_MIN_BYTES_PER_SEC = 128 * 1024;
/** No upload outlives a day, whatever its size (and no timer reaches Node's 2^31 ms limit). */
const MAX_UPLOAD_DEADLINE_MS = 24 * 3_600_000;
/** Enough of an error body for a message; the rest is discarded with the connection. */
const ERROR_BODY_READ_BYTES = 16 * 1024;
/** A register or claim answer larger than this is not a protocol answer. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export interface StudioClientOptions {
  /** `api_base_url`: the studio's origin (and optional path), with or without a trailing `/`. */
  baseUrl: string;
  /**
   * The deadline of a whole call, and how long an upload may stall (request_timeout_secs). A
   * function is read per call, so a changed setting applies to the next call.
   */
  timeoutMs?: number | (() => number);
  /** An upload's deadline grows by one second per this many bytes (default 128 KiB). */
  uploadBytesPerSec?: number;
  /** Read per call: when it aborts, the call ends at once with a `stopped` error (a stop). */
  signal?: () => AbortSignal;
  /** Defaults to an Agent with the timeouts above. */
  dispatcher?: Dispatcher;
  /** Strings that must never appear in an error message (tokens from the config). */
  secrets?: () => string[];
}

const credentialsSchema = z.object({
  workerId: z.string().min(1).refine(isRoutableId, { message: UNROUTABLE_ID_MESSAGE }),
  authToken: z.string().min(1),
});

type Payload =
  { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'multipart'; body: MultipartBody };

interface Call {
  op: StudioOp;
  /** Path segments under `/graphics/api/`, unencoded. */
  path: string[];
  token: string;
  payload: Payload;
  redact: Redactor;
  /** Read the 2xx body (register, claim); other routes' bodies are discarded. */
  readAnswer: boolean;
  /** The call's whole deadline. */
  deadlineMs: number;
  /** How the deadline was set, when it is more than request_timeout_secs (for the message). */
  deadlineRule?: string;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  /** The 2xx body when the call asked for it, else ''. */
  text: string;
}

/** How long an idle connection to the studio stays open (undici's default is 4 s). */
export const KEEP_ALIVE_MS = 60_000;

// Long on purpose (over 120 lines): one method per studio route (PROTOCOL.md), each short, over
// the shared request helper inside; keeping them together keeps the routes readable as one list.
export function createStudioClient(opts: StudioClientOptions): StudioApi {
  const baseUrl = normalizeBaseUrl(opts.baseUrl);
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs = typeof timeout === 'number' ? () => timeout : timeout;
  const uploadBytesPerSec = opts.uploadBytesPerSec ?? UPLOAD_MIN_BYTES_PER_SEC;
  // The Agent's own timeouts are idle timeouts; the deadline in send() bounds the whole call.
  const dispatcher =
    opts.dispatcher ??
    new Agent({
      connect: { timeout: timeoutMs() },
      // Idle sockets outlive the heartbeat interval (5 s by default): a beat reuses the last
      // connection instead of a new TCP (and TLS) handshake each time.
      keepAliveTimeout: KEEP_ALIVE_MS,
    });

  /** The secrets are read per call, so a token changed in the config is redacted at once. */
  const redactorWith = (...tokens: string[]): Redactor =>
    redactorFor([...tokens, ...(opts.secrets?.() ?? [])]);

  async function send(call: Call): Promise<Answer> {
    requireHeaderSafe(call.op, call.token);
    const headers: Record<string, string> = { authorization: `Bearer ${call.token}` };
    let body: string | Readable | undefined;
    const idleMs = timeoutMs();
    // An upload may take long, but must keep moving: see `progress`.
    const stall = call.payload.kind === 'multipart' ? stallWatch(idleMs, uploadBytesPerSec) : null;
    switch (call.payload.kind) {
      case 'none':
        break;
      case 'json':
        headers['content-type'] = 'application/json';
        body = JSON.stringify(call.payload.value);
        break;
      case 'multipart':
        headers['content-type'] = call.payload.body.contentType;
        headers['content-length'] = String(call.payload.body.contentLength);
        body = Readable.from(
          progress(call.payload.body.body, (bytes) => stall?.took(bytes)),
          { objectMode: false },
        );
        break;
    }
    const url = `${baseUrl}/graphics/api/${call.path.map((s) => pathSegment(call.op, s)).join('/')}`;
    const stop = opts.signal?.();
    const deadline = new AbortController();
    // Not on the Clock port: this deadline guards a real socket, which only real time can time
    // out (a manual clock would leave a test's hung request hanging).
    const timer = setTimeout(() => deadline.abort(), call.deadlineMs);
    const signal = AbortSignal.any(
      [deadline.signal, stall?.signal, stop].filter((s): s is AbortSignal => s !== undefined),
    );
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher,
        headers,
        body,
        signal,
        // undici counts this from the start of the request, so an upload relies on its watch.
        headersTimeout: stall ? call.deadlineMs : idleMs,
        bodyTimeout: idleMs,
      });
      stall?.disarm();
      const status = res.statusCode;
      const contentType = firstHeader(res.headers['content-type']);
      if (status < 200 || status > 299) {
        // A body that cannot be read must not hide the status, which is what decides retries.
        const errorBody = await readCapped(res.body, ERROR_BODY_READ_BYTES).catch(() => undefined);
        throw httpFailure({
          op: call.op,
          status,
          retryAfter: res.headers['retry-after'],
          body: errorBody?.data.toString('utf8') ?? '',
          redact: call.redact,
        });
      }
      if (!call.readAnswer) {
        // The studio already said yes; a body that breaks off does not change that.
        await res.body.dump().catch(() => undefined);
        return { status, contentType, text: '' };
      }
      const answer = await readCapped(res.body, MAX_ANSWER_BYTES);
      if (answer.truncated) {
        throw malformedFailure({
          op: call.op,
          status,
          problem: `with a body larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`,
          advice: 'check api_base_url points at a studio',
          redact: call.redact,
        });
      }
      return { status, contentType, text: answer.data.toString('utf8') };
    } catch (error) {
      // A stop wins over the deadline, and both over whatever undici made of the abort.
      if (stop?.aborted) throw stoppedFailure({ op: call.op, cause: error });
      if (stall?.signal.aborted) {
        throw stalledFailure({
          op: call.op,
          baseUrl,
          idleMs,
          bytesPerSec: uploadBytesPerSec,
          cause: error,
          redact: call.redact,
        });
      }
      if (deadline.signal.aborted) {
        throw deadlineFailure({
          op: call.op,
          baseUrl,
          deadlineMs: call.deadlineMs,
          rule: call.deadlineRule,
          cause: error,
          redact: call.redact,
        });
      }
      if (error instanceof StudioError) throw error;
      throw transportFailure({
        op: call.op,
        baseUrl,
        error,
        timeoutMs: idleMs,
        redact: call.redact,
      });
    } finally {
      clearTimeout(timer);
      stall?.disarm();
    }
  }

  /** The deadline of an ordinary call: request_timeout_secs for the whole of it. */
  const callLimit = () => ({ deadlineMs: timeoutMs() });

  /** Sends a JSON body with the worker's credentials and ignores the answer's body. */
  async function post(op: StudioOp, creds: Credentials, path: string[], value: unknown) {
    requireCredentials(op, creds);
    await send({
      op,
      path: ['workers', creds.workerId, ...path],
      token: creds.authToken,
      payload: { kind: 'json', value },
      redact: redactorWith(creds.authToken),
      readAnswer: false,
      ...callLimit(),
    });
  }

  return {
    baseUrl,

    async register({ bootstrapToken, capabilities, workerId }) {
      const redact = redactorWith(bootstrapToken);
      const answer = await send({
        op: 'register',
        path: ['workers', 'register'],
        token: bootstrapToken,
        payload: {
          kind: 'json',
          value: { bootstrapToken, capabilities, ...(workerId ? { workerId } : {}) },
        },
        redact,
        readAnswer: true,
        ...callLimit(),
      });
      const advice = 'check api_base_url points at a studio';
      // The body holds a fresh token, so messages describe it but never quote it.
      const value = parseJson('register', answer, advice, redact);
      const parsed = credentialsSchema.safeParse(value);
      if (!parsed.success) {
        throw malformedFailure({
          op: 'register',
          status: answer.status,
          problem: `without a valid {workerId, authToken}: ${describeIssues(parsed.error)}`,
          advice,
          redact,
        });
      }
      return parsed.data;
    },

    async heartbeat(creds, { capabilities, currentJobId }) {
      await post('heartbeat', creds, ['heartbeat'], {
        capabilities,
        ...(currentJobId ? { currentJobId } : {}),
      });
    },

    async claim(creds): Promise<ClaimResponse> {
      requireCredentials('claim', creds);
      const redact = redactorWith(creds.authToken);
      const answer = await send({
        op: 'claim',
        path: ['workers', creds.workerId, 'claim'],
        token: creds.authToken,
        payload: { kind: 'none' },
        redact,
        readAnswer: true,
        ...callLimit(),
      });
      // 204 is the protocol's "no job"; an empty body under any other 2xx carries no job either.
      if (answer.status === 204 || answer.text.trim() === '') return { kind: 'none' };
      const advice = 'check that the studio speaks the same protocol as this worker';
      const value = withExactSeed(parseJson('claim', answer, advice, redact), answer.text);
      const parsed = claimedJobSchema.safeParse(value);
      if (!parsed.success) {
        const jobId = readableJobId(value);
        throw malformedFailure({
          op: 'claim',
          status: answer.status,
          problem:
            'with a job that does not follow the protocol' +
            (jobId === undefined ? '' : ` (jobId ${JSON.stringify(jobId)})`) +
            `: ${describeIssues(parsed.error)}`,
          advice,
          jobId,
          redact,
        });
      }
      return { kind: 'job', job: parsed.data };
    },

    async complete(creds, jobId, { prompt, ext, filePath }) {
      requireCredentials('complete', creds);
      const redact = redactorWith(creds.authToken);
      let multipart: MultipartBody;
      try {
        multipart = await multipartBody(
          [
            ['prompt', prompt],
            ['ext', ext],
          ],
          {
            field: 'image',
            filename: `${jobId}.${ext}`,
            contentType: contentTypeForExt(ext),
            path: filePath,
          },
        );
      } catch (error) {
        // Not a StudioError: the studio was never asked, and retrying will not bring the file back.
        throw new Error(
          redact(
            `complete failed: cannot read the result file ${filePath}: ${errorMessage(error)}` +
              ' — the result is missing from the spool; report the job as failed',
          ),
          { cause: error },
        );
      }
      await send({
        op: 'complete',
        path: ['workers', creds.workerId, 'jobs', jobId, 'complete'],
        token: creds.authToken,
        payload: { kind: 'multipart', body: multipart },
        redact,
        readAnswer: false,
        deadlineMs: Math.min(
          timeoutMs() + (multipart.contentLength / uploadBytesPerSec) * 1000,
          MAX_UPLOAD_DEADLINE_MS,
        ),
        deadlineRule: `request_timeout_secs plus 1 s per ${uploadBytesPerSec / 1024} KiB sent`,
      });
    },

    async completeJson(creds, jobId, { prompt, result }) {
      await post('complete-json', creds, ['jobs', jobId, 'complete-json'], {
        jobId,
        prompt,
        result: result === undefined ? null : result,
        resultKind: 'json',
      });
    },

    async fail(creds, jobId, { error, retryable }) {
      await post('fail', creds, ['jobs', jobId, 'fail'], { error, retryable });
    },

    async shipLogs(creds, entries: LogEntry[]) {
      // Rebuilt field by field so the wire shape is exactly PROTOCOL.md's LogEntry.
      const wire = entries.map(({ ts, level, category, message, jobId }) => ({
        ts,
        level,
        category,
        message,
        ...(jobId ? { jobId } : {}),
      }));
      await post('log ship', creds, ['logs'], { entries: wire });
    },
  };
}

function normalizeBaseUrl(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(
      `api_base_url must be an http:// or https:// URL (got ${JSON.stringify(raw)}) — fix it in the config`,
    );
  }
  return trimmed;
}

/** A programming error, not a studio failure: PROTOCOL.md forbids these calls before register. */
function requireCredentials(op: StudioOp, creds: Credentials): void {
  if (!creds.workerId || !creds.authToken) {
    throw new Error(`${op} failed: this worker has no worker id or auth token — register first`);
  }
}

/**
 * One percent-encoded path segment. `.` and `..` stay dot segments even when encoded (`%2E`), so
 * the URL would reach another route: refuse them before anything is sent.
 */
function pathSegment(op: StudioOp, segment: string): string {
  if (!isRoutableId(segment)) {
    throw new Error(
      `${op} failed: the id ${JSON.stringify(segment)} cannot be sent as part of a URL path ` +
        '(it would reach another route); nothing was sent — the studio must use other ids',
    );
  }
  return encodeURIComponent(segment);
}

/** undici would refuse such a header with a message that blames the network; say what it is. */
function requireHeaderSafe(op: StudioOp, token: string): void {
  if (/[\r\n\0]/.test(token)) {
    throw new Error(
      `${op} failed: the token contains a line break or NUL character, which an HTTP header ` +
        'cannot carry — fix the token in the config (or register again)',
    );
  }
}

function parseJson(op: StudioOp, answer: Answer, advice: string, redact: Redactor): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    // JSON.parse's message quotes the body, which may hold a token: describe it instead.
    throw malformedFailure({
      op,
      status: answer.status,
      problem:
        `with a body that is not JSON (content-type ${answer.contentType ?? 'none'}, ` +
        `${Buffer.byteLength(answer.text)} bytes)`,
      advice,
      redact,
    });
  }
}

/**
 * The claim body with the task's seed as the studio wrote it: JSON.parse rounds integers past
 * 2^53, and a seed is a u64, so its digits are read from the raw text instead.
 */
function withExactSeed(value: unknown, text: string): unknown {
  if (!isRecord(value) || !isRecord(value.task)) return value;
  const seed = value.task.seed;
  if (typeof seed !== 'number' || Number.isSafeInteger(seed)) return value;
  const literal = rawNumberAt(text, ['task', 'seed']);
  const exact = literal === undefined ? undefined : integerOfLiteral(literal);
  // A seed with a fraction stays a number, and the schema refuses it.
  if (exact !== undefined) value.task.seed = exact;
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The job id of a job that failed validation, so the runtime can still report it failed. */
function readableJobId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const { jobId } = value;
  // An id that cannot be routed cannot be failed either: its fail URL would reach another route.
  return typeof jobId === 'string' && isRoutableId(jobId) ? jobId : undefined;
}

/** Passes the chunks through, telling `onChunk` the size of each as it is taken. */
async function* progress(
  source: AsyncIterable<Uint8Array>,
  onChunk: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    onChunk(chunk.byteLength);
    yield chunk;
  }
}

/**
 * Watches an upload against the slowest link allowed: each chunk taken for sending moves the time
 * by which that link would have sent everything (`due`) on by the chunk's size at `bytesPerSec`;
 * the signal aborts when no chunk has been taken, or no answer has come, by `idleMs` past it.
 */
function stallWatch(idleMs: number, bytesPerSec: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let due = Date.now();
  return {
    signal: controller.signal,
    took(bytes: number) {
      due = Math.max(Date.now(), due) + (bytes / bytesPerSec) * 1000;
      clearTimeout(timer);
      // Real time, like the request deadline: it paces bytes on a real socket.
      timer = setTimeout(() => controller.abort(), due + idleMs - Date.now());
    },
    disarm: () => clearTimeout(timer),
  };
}
