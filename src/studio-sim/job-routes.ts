// Handlers for the job-level protocol routes: complete (multipart upload streamed to disk),
// complete-json and fail. Only the worker holding a job's lease may finish it, and a job is
// completed at most once.
import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { EXT_PATTERN, resultContentType } from './content-types.js';
import { authorizedBody, authorizeWorker, type SimContext } from './context.js';
import { drain } from './http-body.js';
import { FILE_PART, receiveUpload } from './multipart.js';
import type { Verdict } from './queue.js';
import { errorReply, jsonReply, type Reply } from './reply.js';
import { completeJsonBodySchema, failBodySchema } from './schemas.js';

const MAX_FIELD_BYTES = 1024 * 1024;

export async function handleComplete(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
  jobId: string,
): Promise<Reply> {
  const auth = await authorizeWorker(ctx, req, workerId);
  if (!auth.ok) return auth.reply;
  // Refuse before streaming, so a late or duplicate upload writes nothing.
  const admitted = ctx.queue.admitCompletion(jobId, workerId);
  if (!admitted.ok) {
    await drain(req);
    return verdictReply(admitted);
  }
  const partPath = join(ctx.resultsDir, `.upload-${randomUUID()}.part`);
  const upload = await receiveUpload(req, partPath, {
    maxFileBytes: ctx.maxUploadBytes,
    maxFieldBytes: MAX_FIELD_BYTES,
  });
  if (!upload.ok) return errorReply(upload.status, `complete upload: ${upload.message}`);
  const { file } = upload;
  const fields = checkUpload(jobId, upload.fields, file.filename, file.mimeType);
  if (!fields.ok) {
    await rm(file.path, { force: true });
    return errorReply(400, `complete upload: ${fields.message}`);
  }
  const { prompt, ext } = fields;
  const finalPath = join(ctx.resultsDir, `${jobId}.${ext}`);
  // Commit first, then move the file: of two racing uploads only the one that commits may
  // write the final file name.
  const verdict = ctx.queue.complete(jobId, workerId, {
    kind: 'file',
    path: finalPath,
    ext,
    prompt,
    bytes: file.bytes,
    contentType: file.mimeType,
    filename: file.filename,
  });
  if (!verdict.ok) {
    await rm(file.path, { force: true });
    return verdictReply(verdict);
  }
  await rename(file.path, finalPath);
  return jsonReply(200, { jobId, state: 'completed' });
}

type UploadFields = { ok: true; prompt: string; ext: string } | { ok: false; message: string };

/** Checks the upload's fields and file part against PROTOCOL.md. */
function checkUpload(
  jobId: string,
  fields: ReadonlyMap<string, string>,
  filename: string,
  mimeType: string,
): UploadFields {
  const prompt = fields.get('prompt');
  const ext = fields.get('ext');
  if (prompt === undefined) return { ok: false, message: 'missing text field "prompt"' };
  if (ext === undefined) return { ok: false, message: 'missing text field "ext"' };
  if (!EXT_PATTERN.test(ext)) {
    return {
      ok: false,
      message: `field "ext" must be 1-16 letters or digits (got ${JSON.stringify(ext)})`,
    };
  }
  const expectedName = `${jobId}.${ext}`;
  if (filename !== expectedName) {
    return {
      ok: false,
      message: `the "${FILE_PART}" part's filename must be ${JSON.stringify(expectedName)} (got ${JSON.stringify(filename)})`,
    };
  }
  const expectedType = resultContentType(ext);
  if (mimeType !== expectedType) {
    return {
      ok: false,
      message: `the "${FILE_PART}" part of a .${ext} result must have Content-Type ${expectedType} (got ${mimeType})`,
    };
  }
  return { ok: true, prompt, ext };
}

export async function handleCompleteJson(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
  jobId: string,
): Promise<Reply> {
  const body = await authorizedBody(
    ctx,
    req,
    workerId,
    completeJsonBodySchema,
    'complete-json body',
  );
  if (!body.ok) return body.reply;
  if (body.value.jobId !== jobId) {
    return errorReply(
      400,
      `complete-json body.jobId ${JSON.stringify(body.value.jobId)} does not match the job in the path (${jobId})`,
    );
  }
  const verdict = ctx.queue.complete(jobId, workerId, {
    kind: 'json',
    value: body.value.result,
    prompt: body.value.prompt,
  });
  return verdict.ok ? jsonReply(200, { jobId, state: 'completed' }) : verdictReply(verdict);
}

export async function handleFail(
  ctx: SimContext,
  req: IncomingMessage,
  workerId: string,
  jobId: string,
): Promise<Reply> {
  const body = await authorizedBody(ctx, req, workerId, failBodySchema, 'fail body');
  if (!body.ok) return body.reply;
  const verdict = ctx.queue.fail(jobId, workerId, {
    error: body.value.error,
    retryable: body.value.retryable,
  });
  if (!verdict.ok) return verdictReply(verdict);
  return jsonReply(200, { jobId, state: ctx.queue.get(jobId)?.state });
}

function verdictReply(verdict: Verdict & { ok: false }): Reply {
  return errorReply(verdict.status, verdict.message);
}
