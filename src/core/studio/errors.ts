// StudioError: every failure of a studio call, classified once so the runtime can decide
// between retrying with backoff, showing "credentials rejected", or giving up.
import type { StudioOp } from './api.js';

export type StudioErrorKind =
  /** Connection refused/reset, DNS failure, TLS failure: the studio could not be reached. */
  | 'network'
  /** No response within the request timeout. */
  | 'timeout'
  /** A non-2xx status. */
  | 'http'
  /** A 2xx whose body does not match the protocol's schema. */
  | 'malformed'
  /** Cut short by the worker itself (a stop): retried on the next start, the studio is fine. */
  | 'stopped';

export class StudioError extends Error {
  override readonly name = 'StudioError';
  readonly op: StudioOp;
  readonly kind: StudioErrorKind;
  readonly status: number | undefined;
  /** Milliseconds from a `Retry-After` header, when the studio sent one. */
  readonly retryAfterMs: number | undefined;
  /** For a malformed claim: the job id, when it could be read, so the job can be failed. */
  readonly jobId: string | undefined;

  constructor(init: {
    op: StudioOp;
    kind: StudioErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    jobId?: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.op = init.op;
    this.kind = init.kind;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.jobId = init.jobId;
  }

  /**
   * Worth retrying later: network errors, timeouts, stops, 408, 429, 5xx, and a bad answer to
   * `register`. Register's answer is one small object: a garbled or HTML 200 there comes from
   * whatever stands in front of the studio (a proxy, a captive portal, a studio being deployed),
   * as a 502 would. A bad job from `claim` is the studio's own data, which asking again does not
   * change.
   */
  get transient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'stopped') return true;
    if (this.kind === 'malformed') return this.op === 'register';
    if (this.kind === 'http' && this.status !== undefined) {
      return this.status === 408 || this.status === 429 || this.status >= 500;
    }
    return false;
  }

  /** 401/403: the studio does not accept our token; re-register or fix the config. */
  get credentialsRejected(): boolean {
    return this.kind === 'http' && (this.status === 401 || this.status === 403);
  }

  /** 404/409/410 on an upload: the studio no longer wants this result. */
  get gone(): boolean {
    return (
      this.kind === 'http' && (this.status === 404 || this.status === 409 || this.status === 410)
    );
  }
}
