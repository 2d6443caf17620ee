// What a route handler may use: the sim's state and settings, handed in by the server; plus the
// two steps every authenticated protocol route starts with.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { bearerToken } from './auth.js';
import { drain, readJsonBody } from './http-body.js';
import type { JobQueue } from './queue.js';
import type { ReleaseInput } from './releases.js';
import { errorReply, type Reply } from './reply.js';
import { parseWith } from './schemas.js';
import type { WorkerRegistry } from './workers.js';

export interface SimContext {
  bootstrapToken: string;
  queue: JobQueue;
  workers: WorkerRegistry;
  releases: () => readonly ReleaseInput[];
  /** The sim's own URL, e.g. http://127.0.0.1:4000 (no trailing slash). */
  baseUrl: () => string;
  resultsDir: string;
  updatesDir: string | undefined;
  maxJsonBytes: number;
  maxUploadBytes: number;
  now: () => number;
}

export type Step<T> = { ok: true; value: T } | { ok: false; reply: Reply };

/** Checks the worker's Bearer token against the worker in the path. */
export async function authorizeWorker(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
): Promise<Step<undefined>> {
  const verdict = ctx.workers.authorize(bearerToken(req), workerId);
  if (verdict.ok) return { ok: true, value: undefined };
  await drain(req);
  return { ok: false, reply: errorReply(verdict.status, verdict.message) };
}

/** Reads the JSON body and validates it; `what` names it in the error, e.g. "heartbeat body". */
async function validBody<T>(
  ctx: SimContext,
  req: IncomingMessage,
  schema: z.ZodType<T>,
  what: string,
): Promise<Step<T>> {
  const body = await readJsonBody(req, ctx.maxJsonBytes);
  if (!body.ok) return { ok: false, reply: errorReply(body.status, `${what}: ${body.message}`) };
  const parsed = parseWith(schema, body.value, what);
  if (!parsed.ok) return { ok: false, reply: errorReply(400, parsed.message) };
  return { ok: true, value: parsed.value };
}

/** The start of every authenticated JSON route: check the token, then read and validate the body. */
export async function authorizedBody<T>(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<Step<T>> {
  const auth = await authorizeWorker(ctx, req, workerId);
  if (!auth.ok) return auth;
  return validBody(ctx, req, schema, what);
}
