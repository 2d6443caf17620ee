// sharp (libvips) is loaded on the first picture, not at start: a worker whose engine never
// encodes an image does not pay for it, and the first heartbeat goes out sooner.
import type SharpModule from 'sharp';

let loading: Promise<typeof SharpModule> | undefined;

export function loadSharp(): Promise<typeof SharpModule> {
  loading ??= import('sharp').then((m) => m.default);
  return loading;
}
