// Handlers for the worker-level protocol routes: register, heartbeat, claim and logs.
import type { IncomingMessage } from 'node:http';
import { bearerToken, sameSecret } from './auth.js';
import { authorizedBody, authorizeWorker, type SimContext } from './context.js';
import { drain, readJsonBody } from './http-body.js';
import { emptyReply, errorReply, jsonReply, type Reply } from './reply.js';
import { heartbeatBodySchema, logsBodySchema, parseWith, registerBodySchema } from './schemas.js';
import type { JobView } from './views.js';

export async function handleRegister(ctx: SimContext, req: IncomingMessage): Promise<Reply> {
  const token = bearerToken(req);
  if (token === undefined || !sameSecret(token, ctx.bootstrapToken)) {
    await drain(req);
    return errorReply(401, 'register needs the bootstrap token as Authorization: Bearer <token>');
  }
  const body = await readJsonBody(req, ctx.maxJsonBytes);
  if (!body.ok) return errorReply(body.status, `register body: ${body.message}`);
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return errorReply(400, 'register body must be a JSON object');
  }
  const bodyToken = (value as { bootstrapToken?: unknown }).bootstrapToken;
  if (typeof bodyToken !== 'string' || !sameSecret(bodyToken, ctx.bootstrapToken)) {
    return errorReply(401, 'register body.bootstrapToken does not match the bootstrap token');
  }
  const parsed = parseWith(registerBodySchema, value, 'register body');
  if (!parsed.ok) return errorReply(400, parsed.message);
  const { capabilities, workerId } = parsed.value;
  return jsonReply(201, ctx.workers.register(capabilities, workerId ?? undefined));
}

export async function handleHeartbeat(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
): Promise<Reply> {
  const body = await authorizedBody(ctx, req, workerId, heartbeatBodySchema, 'heartbeat body');
  if (!body.ok) return body.reply;
  ctx.workers.heartbeat(workerId, body.value.capabilities, body.value.currentJobId ?? undefined);
  return jsonReply(200, { ok: true });
}

export async function handleClaim(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
): Promise<Reply> {
  const auth = await authorizeWorker(ctx, req, workerId);
  if (!auth.ok) return auth.reply;
  // claim has no body; anything sent is ignored.
  await drain(req);
  const capabilities = ctx.workers.capabilitiesOf(workerId);
  const job = capabilities && ctx.queue.claim(workerId, capabilities);
  return job ? jsonReply(200, claimBody(job)) : emptyReply(204);
}

export async function handleLogs(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
): Promise<Reply> {
  const body = await authorizedBody(ctx, req, workerId, logsBodySchema, 'logs body');
  if (!body.ok) return body.reply;
  ctx.workers.addLogs(workerId, body.value.entries);
  return jsonReply(200, { accepted: body.value.entries.length });
}

/** The 200 body of claim, as PROTOCOL.md lists it; `task` only when the job has one. */
export function claimBody(job: JobView): Record<string, unknown> {
  const body: Record<string, unknown> = {
    jobId: job.jobId,
    gameId: job.gameId,
    assetName: job.assetName,
    model: job.model,
    vramGbEstimate: job.vramGbEstimate,
    prompt: job.prompt,
    ext: job.ext,
  };
  if (job.task !== undefined) body.task = job.task;
  return body;
}
