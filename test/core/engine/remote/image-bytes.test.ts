import { describe, expect, it } from 'vitest';
import {
  checkImage,
  decodeBase64Image,
  imageResult,
} from '../../../../src/core/engine/remote/image-bytes.js';
import { MAX_IMAGE_BYTES } from '../../../../src/core/engine/remote/http.js';
import { A1111_FIXTURES, encodedImage, fixtureJson } from './fixtures.js';

const fail = (problem: string) => new Error(problem);

describe('checkImage', () => {
  it('names each whole image by its magic number', async () => {
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      expect(checkImage(await encodedImage(format))).toEqual({ kind: 'image', ext: format });
    }
  });

  it("reports the recorded A1111 image, a PNG signature and IHDR's start, as a cut PNG", async () => {
    const recorded = await fixtureJson<{ images: string[] }>(A1111_FIXTURES.txt2img);
    const bytes = decodeBase64Image(recorded.images[0]!)!;
    expect(bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(checkImage(bytes)).toEqual({
      kind: 'truncated',
      format: 'PNG',
      problem: '16 bytes, no IEND chunk at the end',
    });
  });

  it('reports a cut JPEG, WebP and GIF as truncated', async () => {
    for (const [format, name] of [
      ['jpeg', 'JPEG'],
      ['webp', 'WebP'],
      ['gif', 'GIF'],
    ] as const) {
      const whole = await encodedImage(format);
      expect(checkImage(whole.subarray(0, whole.length - 4))).toMatchObject({
        kind: 'truncated',
        format: name,
      });
    }
  });

  it('accepts a JPEG padded with zero bytes after its end marker', async () => {
    const jpeg = Buffer.concat([await encodedImage('jpeg'), Buffer.alloc(6)]);
    expect(checkImage(jpeg)).toEqual({ kind: 'image', ext: 'jpeg' });
  });

  it('reports bytes that are no image with how they start', () => {
    expect(checkImage(Buffer.from('<!DOCTYPE html>'))).toEqual({
      kind: 'unknown',
      start: '3c 21 44 4f 43 54 59 50',
    });
  });
});

describe('decodeBase64Image', () => {
  it('decodes bare base64 and data: URLs alike', async () => {
    const png = await encodedImage('png');
    expect(decodeBase64Image(png.toString('base64'))).toEqual(png);
    expect(decodeBase64Image(`data:image/png;base64,${png.toString('base64')}`)).toEqual(png);
  });

  it('refuses text that is not base64 instead of decoding garbage', () => {
    expect(decodeBase64Image('not base64!')).toBeUndefined();
    expect(decodeBase64Image('')).toBeUndefined();
    expect(decodeBase64Image('data:image/png,rawbytes')).toBeUndefined();
  });
});

describe('imageResult', () => {
  it('returns the bytes with the ext of their format', async () => {
    const webp = await encodedImage('webp');
    expect(imageResult(webp, fail)).toEqual({ type: 'bytes', ext: 'webp', data: webp });
  });

  it('refuses an image larger than the image limit', () => {
    const huge = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    expect(() => imageResult(huge, fail)).toThrow(
      'with an image of 64.0 MiB, more than the 64 MiB',
    );
  });

  it('refuses an empty image', () => {
    expect(() => imageResult(Buffer.alloc(0), fail)).toThrow('with an empty image');
  });
});
