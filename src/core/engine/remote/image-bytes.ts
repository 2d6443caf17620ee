// Images that come back from a server: base64 (or a data: URL) decoded strictly, the format read
// from the bytes' magic number (never from what the job asked for), and a cheap check that the
// file is whole, so a truncated PNG is reported as a failure instead of uploaded as a result.
import type { EngineResult } from '../engine.js';
import { MAX_IMAGE_BYTES } from './http.js';

export type ImageExt = 'png' | 'jpeg' | 'webp' | 'gif';

export type ImageCheck =
  | { kind: 'image'; ext: ImageExt }
  | { kind: 'truncated'; format: string; problem: string }
  | { kind: 'unknown'; start: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG ends with an empty IEND chunk: length 0, type IEND, and its fixed CRC. */
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

/** What the bytes are, by their magic number, and whether the file is whole. */
export function checkImage(data: Uint8Array): ImageCheck {
  if (startsWith(data, PNG_SIGNATURE)) {
    return endsWith(data, PNG_IEND)
      ? { kind: 'image', ext: 'png' }
      : {
          kind: 'truncated',
          format: 'PNG',
          problem: `${data.length} bytes, no IEND chunk at the end`,
        };
  }
  if (startsWith(data, [0xff, 0xd8, 0xff])) {
    // Some encoders pad after the end-of-image marker; the marker must still be there.
    let end = data.length;
    while (end > 0 && data[end - 1] === 0x00) end -= 1;
    return data[end - 2] === 0xff && data[end - 1] === 0xd9
      ? { kind: 'image', ext: 'jpeg' }
      : {
          kind: 'truncated',
          format: 'JPEG',
          problem: `${data.length} bytes, no end-of-image marker`,
        };
  }
  if (ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 4) === 'WEBP') {
    const declared =
      data.length >= 8 ? new DataView(data.buffer, data.byteOffset).getUint32(4, true) : 0;
    return data.length >= declared + 8
      ? { kind: 'image', ext: 'webp' }
      : {
          kind: 'truncated',
          format: 'WebP',
          problem: `${data.length} of the ${declared + 8} bytes its header announces`,
        };
  }
  if (ascii(data, 0, 6) === 'GIF87a' || ascii(data, 0, 6) === 'GIF89a') {
    return data[data.length - 1] === 0x3b
      ? { kind: 'image', ext: 'gif' }
      : { kind: 'truncated', format: 'GIF', problem: `${data.length} bytes, no trailer` };
  }
  return { kind: 'unknown', start: hexStart(data) };
}

/**
 * The bytes of a base64 image, bare or as a `data:<type>;base64,` URL; undefined when the text
 * is not base64 (Buffer.from would silently skip the bad characters and return garbage).
 */
export function decodeBase64Image(text: string): Buffer | undefined {
  const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
  if (text.startsWith('data:') && (comma < 0 || !text.slice(0, comma).endsWith(';base64'))) {
    return undefined;
  }
  const payload = (comma >= 0 ? text.slice(comma + 1) : text).replace(/\s+/g, '');
  if (payload === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload)) return undefined;
  return Buffer.from(payload, 'base64');
}

/**
 * The EngineResult for image bytes a server sent, or the error `fail` makes of what is wrong
 * with them (`fail(problem)` completes "… answered 200 <problem>").
 */
export function imageResult(data: Buffer, fail: (problem: string) => Error): EngineResult {
  if (data.length > MAX_IMAGE_BYTES) {
    throw fail(
      `with an image of ${(data.length / 1024 / 1024).toFixed(1)} MiB, more than the ` +
        `${MAX_IMAGE_BYTES / 1024 / 1024} MiB a result may have — refused`,
    );
  }
  const image = checkImage(data);
  switch (image.kind) {
    case 'image':
      return { type: 'bytes', ext: image.ext, data };
    case 'truncated':
      throw fail(
        `with a ${image.format} image that is cut short (${image.problem}) — not uploaded; ` +
          'the server may have run out of memory or the answer was cut',
      );
    case 'unknown':
      if (data.length === 0) throw fail('with an empty image');
      throw fail(
        `with ${data.length} bytes that are not a PNG, JPEG, WebP or GIF image ` +
          `(they start ${image.start})`,
      );
  }
}

/** imageResult for base64 text found at `field` of an answer (`data[0].b64_json`). */
export function imageFromBase64(
  text: string,
  field: string,
  fail: (problem: string) => Error,
): EngineResult {
  const data = decodeBase64Image(text);
  if (data === undefined) throw fail(`with ${field} that is not base64 image data`);
  return imageResult(data, fail);
}

function startsWith(data: Uint8Array, prefix: readonly number[]): boolean {
  return data.length >= prefix.length && prefix.every((byte, i) => data[i] === byte);
}

function endsWith(data: Uint8Array, suffix: readonly number[]): boolean {
  const offset = data.length - suffix.length;
  return offset >= 0 && suffix.every((byte, i) => data[offset + i] === byte);
}

function ascii(data: Uint8Array, start: number, length: number): string {
  return Buffer.from(data.subarray(start, start + length)).toString('latin1');
}

function hexStart(data: Uint8Array): string {
  return Array.from(data.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
