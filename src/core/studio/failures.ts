// Turns what went wrong on the wire into a StudioError whose message says what failed and what
// to do: a non-2xx answer, an unreachable studio, a timeout, or a 2xx body that breaks the
// protocol. Every message passes through the caller's redactor before it leaves this module.
import { bodyExcerpt, networkErrorCode } from '../net/text.js';
import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import type { StudioOp } from './api.js';
import { StudioError } from './errors.js';
import { redactUrlCredentials, type Redactor } from '../secrets/redact.js';
import { parseRetryAfter } from './retry-after.js';
import { errorMessage } from '../errors/message.js';

/** How much of an error body ends up in a message. */
export const ERROR_BODY_EXCERPT_CHARS = 500;

/** `<op> failed: <status> <reason> — <body>`, with `Retry-After` read into retryAfterMs. */
export function httpFailure(init: {
  op: StudioOp;
  status: number;
  retryAfter: string | string[] | undefined;
  body: string;
  redact: Redactor;
}): StudioError {
  const { op, status, redact } = init;
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  // Redact before cutting, so a secret straddling the cut cannot leave a readable prefix.
  const body = bodyExcerpt(redact(init.body), ERROR_BODY_EXCERPT_CHARS);
  return new StudioError({
    op,
    kind: 'http',
    status,
    retryAfterMs: parseRetryAfter(init.retryAfter),
    message: redact(`${op} failed: ${status} ${reason} — ${body}`),
  });
}

/** A failure before any answer arrived (or while reading it): unreachable, or too slow. */
export function transportFailure(init: {
  op: StudioOp;
  baseUrl: string;
  error: unknown;
  timeoutMs: number;
  redact: Redactor;
}): StudioError {
  const { op, baseUrl, error, timeoutMs, redact } = init;
  const code = networkErrorCode(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new StudioError({
      op,
      kind: 'timeout',
      cause: error,
      message: redact(
        `${op} failed: no answer from the studio at ${redactUrlCredentials(baseUrl)} within ${seconds(timeoutMs)} s`,
      ),
    });
  }
  return new StudioError({
    op,
    kind: 'network',
    cause: error,
    message: redact(
      `${op} failed: could not reach the studio at ${redactUrlCredentials(baseUrl)}: ${describeCause(error, code)}` +
        ' — check api_base_url',
    ),
  });
}

/** The call's deadline passed before the studio answered in full (a stall, or a trickle). */
export function deadlineFailure(init: {
  op: StudioOp;
  baseUrl: string;
  deadlineMs: number;
  /** How the deadline was set, when it is more than request_timeout_secs. */
  rule: string | undefined;
  cause: unknown;
  redact: Redactor;
}): StudioError {
  const { op, baseUrl, deadlineMs, rule, redact } = init;
  return new StudioError({
    op,
    kind: 'timeout',
    cause: init.cause,
    message: redact(
      `${op} failed: the studio at ${baseUrl} did not answer in full within ` +
        `${seconds(deadlineMs)} s${rule === undefined ? '' : ` (${rule})`}` +
        ' — check the studio, or raise request_timeout_secs',
    ),
  });
}

/** An upload stopped moving: the studio took no more of it, or never answered once it had it. */
export function stalledFailure(init: {
  op: StudioOp;
  baseUrl: string;
  idleMs: number;
  bytesPerSec: number;
  cause: unknown;
  redact: Redactor;
}): StudioError {
  const { op, baseUrl, idleMs, bytesPerSec, redact } = init;
  return new StudioError({
    op,
    kind: 'timeout',
    cause: init.cause,
    message: redact(
      `${op} failed: the studio at ${baseUrl} took the upload slower than ` +
        `${bytesPerSec / 1024} KiB/s, or sent no answer ${seconds(idleMs)} s after it` +
        ' — check the studio, or raise request_timeout_secs',
    ),
  });
}

/** The worker cut the call short because it is stopping; nothing is wrong with the studio. */
export function stoppedFailure(init: { op: StudioOp; cause: unknown }): StudioError {
  return new StudioError({
    op: init.op,
    kind: 'stopped',
    cause: init.cause,
    message: `${init.op} stopped: the worker is shutting down`,
  });
}

/** A 2xx whose body does not follow the protocol. `problem` says what was wrong with it. */
export function malformedFailure(init: {
  op: StudioOp;
  status: number;
  problem: string;
  advice: string;
  jobId?: string | undefined;
  redact: Redactor;
}): StudioError {
  const { op, status, problem, advice, jobId, redact } = init;
  return new StudioError({
    op,
    kind: 'malformed',
    status,
    ...(jobId === undefined ? {} : { jobId }),
    message: redact(`${op} failed: the studio answered ${status} ${problem} — ${advice}`),
  });
}

/** Zod issues as one line: `task.kind: Invalid input; vramGbEstimate: expected number, …`. */
export function describeIssues(error: z.ZodError, max = 5): string {
  const shown = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${path || 'body'}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the studio',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
};

function describeCause(error: unknown, code: string | undefined): string {
  if (code !== undefined && Object.hasOwn(CAUSES, code)) return CAUSES[code] as string;
  const message = errorMessage(error);
  if (code !== undefined && /CERT|SSL|TLS/.test(code)) return `TLS error: ${message}`;
  return message;
}

/** The error code, looking through undici's and happy-eyeballs' wrappers. */

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}
