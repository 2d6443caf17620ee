// Reading request bodies: JSON with a size limit, and draining bodies the sim does not want
// (so that a keep-alive connection stays usable after an early answer).
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';

export type JsonBody =
  { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    await drain(req);
    return {
      ok: false,
      status: 415,
      message: `expected Content-Type: application/json (got ${contentType === '' ? 'none' : JSON.stringify(contentType)})`,
    };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit, keep reading but stop keeping, so the client still gets its 413.
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) {
    return {
      ok: false,
      status: 413,
      message: `body is ${size} bytes, over the ${maxBytes}-byte limit`,
    };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    return { ok: false, status: 400, message: 'body is empty: expected JSON' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      status: 400,
      message: `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Reads and discards whatever is left of the body; never throws. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  req.resume();
  await finished(req).catch(() => undefined);
}
