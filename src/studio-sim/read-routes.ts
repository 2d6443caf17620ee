// Handlers for the sim's GET routes: the release feed, update files, result files and the
// status page. None of them is part of the worker protocol proper.
import { isAbsolute, relative, resolve } from 'node:path';
import { staticContentType } from './content-types.js';
import type { SimContext } from './context.js';
import { renderStatusPage } from './page.js';
import { releaseFeed } from './releases.js';
import { errorReply, fileReply, htmlReply, jsonReply, type Reply } from './reply.js';

export function handleReleases(ctx: SimContext): Reply {
  return jsonReply(200, releaseFeed(ctx.releases(), ctx.baseUrl()));
}

export function handlePage(ctx: SimContext): Reply {
  return htmlReply(
    renderStatusPage({ workers: ctx.workers.list(), jobs: ctx.queue.list(), now: ctx.now() }),
  );
}

export async function handleResultFile(ctx: SimContext, jobId: string): Promise<Reply> {
  const result = ctx.queue.get(jobId)?.result;
  if (!result) return errorReply(404, `job ${jobId} has no result`);
  if (result.kind === 'json') return jsonReply(200, result.value);
  return fileReply(result.path, result.contentType, `result file for job ${jobId}`);
}

/** Serves a file below `updatesDir` (electron-updater's latest*.yml and artifacts). */
export async function handleUpdateFile(ctx: SimContext, file: string): Promise<Reply> {
  if (ctx.updatesDir === undefined) {
    return errorReply(404, 'this studio sim serves no updates (start it with updatesDir)');
  }
  const path = resolve(ctx.updatesDir, file);
  const inside = relative(resolve(ctx.updatesDir), path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || file.includes('\0')) {
    return errorReply(404, `no update file ${JSON.stringify(file)}`);
  }
  return fileReply(path, staticContentType(path), `update file ${JSON.stringify(file)}`);
}
