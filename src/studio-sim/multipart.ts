// Receives the `complete` upload: a multipart form with text fields and one file part named
// `image`, streamed straight to a file on disk with busboy (never held in memory whole).
import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { drain } from './http-body.js';

export interface UploadedFile {
  /** Where the bytes were written; the caller moves or removes it. */
  path: string;
  filename: string;
  mimeType: string;
  bytes: number;
}

export type Upload =
  | { ok: true; fields: ReadonlyMap<string, string>; file: UploadedFile }
  | { ok: false; status: 400 | 413 | 415 | 500; message: string };

export interface UploadLimits {
  maxFileBytes: number;
  maxFieldBytes: number;
}

/** The one file part every upload must carry (PROTOCOL.md: named `image` whatever the kind). */
export const FILE_PART = 'image';

/** Streams the upload in `req` to `path`. On any failure `path` is removed again. */
export async function receiveUpload(
  req: IncomingMessage,
  path: string,
  limits: UploadLimits,
): Promise<Upload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    await drain(req);
    return {
      ok: false,
      status: 415,
      message: `expected Content-Type: multipart/form-data with a boundary (got ${contentType === '' ? 'none' : JSON.stringify(contentType)})`,
    };
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        fileSize: limits.maxFileBytes,
        files: 1,
        fields: 16,
        parts: 17,
        fieldSize: limits.maxFieldBytes,
      },
    });
  } catch (error) {
    await drain(req);
    return { ok: false, status: 400, message: `multipart header is unusable: ${messageOf(error)}` };
  }
  const upload = await parseForm(req, parser, path, limits);
  if (!upload.ok) await rm(path, { force: true });
  return upload;
}

function parseForm(
  req: IncomingMessage,
  parser: busboy.Busboy,
  path: string,
  limits: UploadLimits,
): Promise<Upload> {
  return new Promise((resolve) => {
    const fields = new Map<string, string>();
    const problems: { status: 400 | 413; message: string }[] = [];
    let saving: Promise<UploadedFile & { truncated: boolean }> | undefined;

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        problems.push({
          status: 413,
          message: `field "${name}" is over ${limits.maxFieldBytes} bytes`,
        });
      }
      fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== FILE_PART) {
        problems.push({
          status: 400,
          message: `unexpected file part "${name}": the result goes in a part named "${FILE_PART}"`,
        });
        stream.resume();
        return;
      }
      saving = saveFile(stream, path, info.filename ?? '', info.mimeType);
      // Settled in finish(); this keeps an early failure from counting as unhandled.
      saving.catch(() => undefined);
    });
    parser.on('filesLimit', () => {
      problems.push({ status: 400, message: `send exactly one file part, named "${FILE_PART}"` });
    });
    parser.on('fieldsLimit', () => problems.push({ status: 400, message: 'too many text fields' }));
    parser.on('partsLimit', () => problems.push({ status: 400, message: 'too many parts' }));

    parser.on('error', (error) => {
      req.unpipe(parser);
      void drain(req);
      // Wait for the file write to settle, so that the caller's cleanup really removes it.
      void Promise.allSettled([saving]).then(() =>
        resolve({
          ok: false,
          status: 400,
          message: `multipart body is malformed or cut short: ${messageOf(error)}`,
        }),
      );
    });
    // busboy finishes only after every file stream was read to its end.
    parser.on('finish', () => void finish());
    req.on('close', () => {
      if (!req.complete) parser.destroy(new Error('the client closed the connection mid-upload'));
    });
    req.pipe(parser);

    async function finish(): Promise<void> {
      let file: (UploadedFile & { truncated: boolean }) | undefined;
      try {
        file = await saving;
      } catch (error) {
        resolve({
          ok: false,
          status: 500,
          message: `could not store the upload: ${messageOf(error)}`,
        });
        return;
      }
      if (file?.truncated) {
        resolve({
          ok: false,
          status: 413,
          message: `the "${FILE_PART}" part is over the ${limits.maxFileBytes}-byte limit`,
        });
        return;
      }
      const problem = problems[0];
      if (problem) resolve({ ok: false, ...problem });
      else if (!file)
        resolve({ ok: false, status: 400, message: `no file part named "${FILE_PART}"` });
      else resolve({ ok: true, fields, file });
    }
  });
}

async function saveFile(
  stream: Readable,
  path: string,
  filename: string,
  mimeType: string,
): Promise<UploadedFile & { truncated: boolean }> {
  let truncated = false;
  stream.on('limit', () => {
    truncated = true;
  });
  await pipeline(stream, createWriteStream(path));
  const { size } = await stat(path);
  return { path, filename, mimeType, bytes: size, truncated };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
