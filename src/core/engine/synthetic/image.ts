// Synthetic image tasks: the seeded picture at the requested size, encoded by sharp in the
// requested format. The returned ext always names the format the bytes are really in.
import type { Sharp } from 'sharp';
import { loadSharp } from './sharp.js';
import type { EngineResult } from '../engine.js';
import type { ImageTask } from '../../task/task.js';
import { createScene, fitWithin, paint } from './picture.js';
import { hash32 } from './seed.js';

/**
 * Largest side of a synthetic image, in pixels. Larger requests are scaled down to fit, keeping
 * the aspect ratio: a CPU-painted 8k picture would take seconds and tens of megabytes for nothing.
 */
export const MAX_IMAGE_SIDE = 2048;

type Encoder = (image: Sharp) => Sharp;

/** Formats the synthetic engine writes, by lower-case ext. Anything else is written as png. */
const ENCODERS: Record<string, Encoder> = {
  png: (image) => image.png(),
  webp: (image) => image.webp({ quality: 85 }),
  jpeg: (image) => image.jpeg({ quality: 88 }),
  jpg: (image) => image.jpeg({ quality: 88 }),
  gif: (image) => image.gif(),
};

/** A requested ext as the engine compares it: trimmed, lower-case, without a leading dot. */
export function normalizeExt(ext: string): string {
  return ext.trim().toLowerCase().replace(/^\./, '');
}

/** The ext and encoder for a requested ext; an ext the engine cannot write gets png. */
export function imageFormatFor(ext: string): { ext: string; encode: Encoder } {
  const wanted = normalizeExt(ext);
  const encode = ENCODERS[wanted];
  return encode ? { ext: wanted, encode } : { ext: 'png', encode: ENCODERS.png! };
}

/**
 * The seed of a picture: the task's own, else one derived from its prompt. The seed's decimal
 * digits are hashed, so every bit of a u64 counts and seeds below 2^53 paint what they always did.
 */
export function pictureSeed(seed: bigint | null, prompt: string): number {
  return seed === null ? hash32(`prompt:${prompt}`) : hash32(`seed:${seed}`);
}

export async function generateImage(
  task: ImageTask,
  checkpoint: () => Promise<void>,
): Promise<EngineResult> {
  const size = fitWithin({ width: task.width, height: task.height }, MAX_IMAGE_SIDE);
  const pixels = await paint(createScene(pictureSeed(task.seed, task.prompt)), size, 0, checkpoint);
  const format = imageFormatFor(task.ext);
  const sharp = await loadSharp();
  const raw = sharp(pixels, { raw: { width: size.width, height: size.height, channels: 3 } });
  const data = await format.encode(raw).toBuffer();
  return { type: 'bytes', ext: format.ext, data };
}
