import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageFormatFor, MAX_IMAGE_SIDE } from '../../../../src/core/engine/synthetic/image.js';
import { imageTask, runBytes } from './tasks.js';

describe('synthetic image', () => {
  it('produces the same bytes when the same task runs twice', async () => {
    const first = await runBytes(imageTask({ ext: 'webp' }));
    const second = await runBytes(imageTask({ ext: 'webp' }));
    expect(first.data.equals(second.data)).toBe(true);
  });

  it('produces different pictures for different prompts', async () => {
    const fox = await runBytes(imageTask({ prompt: 'a red fox' }));
    const whale = await runBytes(imageTask({ prompt: 'a blue whale' }));
    expect(fox.data.equals(whale.data)).toBe(false);
  });

  it('lets an explicit seed, not the prompt, decide the picture', async () => {
    const one = await runBytes(imageTask({ prompt: 'a red fox', seed: 7n }));
    const other = await runBytes(imageTask({ prompt: 'a blue whale', seed: 7n }));
    const reseeded = await runBytes(imageTask({ prompt: 'a red fox', seed: 8n }));
    expect(one.data.equals(other.data)).toBe(true);
    expect(one.data.equals(reseeded.data)).toBe(false);
  });

  it('tells apart seeds past 2^53 that a double would round to the same number', async () => {
    const top = await runBytes(imageTask({ prompt: 'p', seed: 18_446_744_073_709_551_615n }));
    const below = await runBytes(imageTask({ prompt: 'p', seed: 18_446_744_073_709_551_614n }));
    expect(top.data.equals(below.data)).toBe(false);
  });

  it.each([
    ['png', 'png'],
    ['webp', 'webp'],
    ['jpeg', 'jpeg'],
    ['jpg', 'jpeg'],
    ['gif', 'gif'],
  ])('writes a decodable %s of the requested size', async (ext, format) => {
    const result = await runBytes(imageTask({ ext, width: 40, height: 24 }));
    const meta = await sharp(result.data).metadata();
    expect(result.ext).toBe(ext);
    expect(meta.format).toBe(format);
    expect([meta.width, meta.height]).toEqual([40, 24]);
  });

  it('writes png and says ext png when asked for a format it cannot write', async () => {
    const result = await runBytes(imageTask({ ext: 'bmp' }));
    expect(result.ext).toBe('png');
    expect((await sharp(result.data).metadata()).format).toBe('png');
  });

  it('scales an oversized request down to the side cap, keeping the aspect ratio', async () => {
    const result = await runBytes(imageTask({ width: MAX_IMAGE_SIDE * 2, height: 8, ext: 'png' }));
    const meta = await sharp(result.data).metadata();
    expect([meta.width, meta.height]).toEqual([MAX_IMAGE_SIDE, 4]);
  });

  it('reads the requested ext without regard to case or a leading dot', () => {
    expect(imageFormatFor(' .WebP').ext).toBe('webp');
  });
});
