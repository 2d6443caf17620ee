import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  frameCountFor,
  MAX_VIDEO_FRAMES,
  MAX_VIDEO_SIDE,
  VIDEO_FPS,
} from '../../../../src/core/engine/synthetic/video.js';
import { runBytes, videoTask } from './tasks.js';

describe('synthetic video', () => {
  it('writes an animated webp with seconds × fps frames when mp4 is asked', async () => {
    const result = await runBytes(videoTask({ ext: 'mp4', seconds: 0.5 }));
    const meta = await sharp(result.data, { animated: true }).metadata();
    expect(result.ext).toBe('webp');
    expect(meta.format).toBe('webp');
    expect(meta.pages).toBe(0.5 * VIDEO_FPS);
    expect([meta.width, meta.pageHeight]).toEqual([48, 32]);
  });

  it('writes an animated gif when gif is asked', async () => {
    const result = await runBytes(videoTask({ ext: 'gif' }));
    const meta = await sharp(result.data, { animated: true }).metadata();
    expect(result.ext).toBe('gif');
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBeGreaterThan(1);
  });

  it('produces the same bytes when the same task runs twice', async () => {
    const first = await runBytes(videoTask());
    const second = await runBytes(videoTask());
    expect(first.data.equals(second.data)).toBe(true);
  });

  it('produces different animations for different prompts', async () => {
    const waves = await runBytes(videoTask({ prompt: 'waves' }));
    const clouds = await runBytes(videoTask({ prompt: 'clouds' }));
    expect(waves.data.equals(clouds.data)).toBe(false);
  });

  it('scales oversized frames down to the video side cap', async () => {
    const result = await runBytes(
      videoTask({ width: MAX_VIDEO_SIDE * 4, height: 64, seconds: 0.25 }),
    );
    const meta = await sharp(result.data, { animated: true }).metadata();
    expect([meta.width, meta.pageHeight]).toEqual([MAX_VIDEO_SIDE, 16]);
  });

  it('caps the frame count of a long video', () => {
    expect(frameCountFor(3600)).toBe(MAX_VIDEO_FRAMES);
  });

  it('gives even a very short video two frames', () => {
    expect(frameCountFor(0.01)).toBe(2);
  });
});
