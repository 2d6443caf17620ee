// Synthetic video tasks: the seeded picture animated as a seamless loop, encoded by sharp as an
// animated webp (or gif when asked). mp4 cannot be encoded here, so a request for it gets webp
// and the result's ext says so.
import { loadSharp } from './sharp.js';
import type { EngineResult } from '../engine.js';
import type { VideoTask } from '../../task/task.js';
import { normalizeExt, pictureSeed } from './image.js';
import { createScene, fitWithin, paint } from './picture.js';

/** Largest side of a synthetic video frame: every frame is painted on the CPU. */
export const MAX_VIDEO_SIDE = 512;
export const VIDEO_FPS = 8;
/** At most 6 seconds at 8 fps: longer requests are cut, to bound memory (frames are raw RGB). */
export const MAX_VIDEO_FRAMES = 48;
/** An animation needs at least two frames, however short the request. */
const MIN_VIDEO_FRAMES = 2;

export function frameCountFor(seconds: number): number {
  const frames = Math.round(seconds * VIDEO_FPS);
  return Math.min(MAX_VIDEO_FRAMES, Math.max(MIN_VIDEO_FRAMES, frames));
}

export async function generateVideo(
  task: VideoTask,
  checkpoint: () => Promise<void>,
): Promise<EngineResult> {
  const size = fitWithin({ width: task.width, height: task.height }, MAX_VIDEO_SIDE);
  const frames = frameCountFor(task.seconds);
  const scene = createScene(pictureSeed(null, task.prompt));
  const frameBytes = size.width * size.height * 3;
  const pixels = Buffer.alloc(frameBytes * frames);
  for (let frame = 0; frame < frames; frame++) {
    await paint(scene, size, frame / frames, checkpoint, pixels, frame * frameBytes);
  }
  await checkpoint();
  const sharp = await loadSharp();
  const animation = sharp(pixels, {
    raw: {
      width: size.width,
      height: size.height * frames,
      channels: 3,
      pageHeight: size.height,
    },
  });
  const delay = Math.round(1000 / VIDEO_FPS);
  const gif = normalizeExt(task.ext) === 'gif';
  const encoded = gif
    ? animation.gif({ loop: 0, delay })
    : animation.webp({ loop: 0, delay, quality: 80 });
  const data = await encoded.toBuffer();
  return { type: 'bytes', ext: gif ? 'gif' : 'webp', data };
}
