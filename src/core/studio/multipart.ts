// The body of a `complete` upload: multipart/form-data with text fields, then one file part
// that is read from disk chunk by chunk while the request is sent, so a 1 GB result never sits
// in memory. Hand-written rather than undici's FormData because FormData rewrites every `\n` in
// a text field to `\r\n`; the original worker sent the prompt's bytes unchanged, and so do we.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const CONTENT_TYPES = new Map([
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mpeg'],
  ['mp4', 'video/mp4'],
]);

/** The file part's content type for a result extension (PROTOCOL.md, "Routes"). */
export function contentTypeForExt(ext: string): string {
  return CONTENT_TYPES.get(ext.toLowerCase()) ?? 'application/octet-stream';
}

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  path: string;
}

export interface MultipartBody {
  /** `multipart/form-data; boundary=…`, for the request's content-type header. */
  contentType: string;
  /** Known up front (from the file's size), so the upload is not chunk-encoded. */
  contentLength: number;
  /** Single use: the file is opened when iteration starts and closed when it ends or stops. */
  body: AsyncIterable<Uint8Array>;
}

const READ_CHUNK_BYTES = 1024 * 1024;

/** Text fields in order, then the file. Throws if the file is missing or not a regular file. */
export async function multipartBody(
  fields: ReadonlyArray<readonly [name: string, value: string]>,
  file: MultipartFile,
): Promise<MultipartBody> {
  const info = await stat(file.path);
  if (!info.isFile()) throw new Error(`${file.path} is not a regular file`);
  const boundary = `----studio-worker-${randomBytes(16).toString('hex')}`;
  const textParts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
  );
  const head = Buffer.from(
    textParts.join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; ` +
      `filename="${quoted(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + info.size + tail.length,
    body: parts(head, file.path, info.size, tail),
  };
}

async function* parts(
  head: Buffer,
  path: string,
  size: number,
  tail: Buffer,
): AsyncGenerator<Uint8Array> {
  yield head;
  // `end` pins the byte count to the stat'ed size that Content-Length promised.
  if (size > 0) {
    yield* createReadStream(path, { start: 0, end: size - 1, highWaterMark: READ_CHUNK_BYTES });
  }
  yield tail;
}

/** Escapes a header parameter value the way browsers do (WHATWG HTML, form-data encoding). */
function quoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
