import { describe, expect, it } from 'vitest';
import { createScene, fitWithin, paint } from '../../../../src/core/engine/synthetic/picture.js';

const noCheckpoint = (): Promise<void> => Promise.resolve();

describe('picture', () => {
  it('keeps a size that already fits', () => {
    expect(fitWithin({ width: 300, height: 200 }, 512)).toEqual({ width: 300, height: 200 });
  });

  it('scales the longer side to the cap and the other in proportion', () => {
    expect(fitWithin({ width: 1000, height: 4000 }, 512)).toEqual({ width: 128, height: 512 });
  });

  it('never scales a side below one pixel', () => {
    expect(fitWithin({ width: 100_000, height: 1 }, 512)).toEqual({ width: 512, height: 1 });
  });

  it('paints a different frame at a later point of the animation', async () => {
    const scene = createScene(42);
    const size = { width: 32, height: 32 };
    const start = await paint(scene, size, 0, noCheckpoint);
    const later = await paint(scene, size, 0.5, noCheckpoint);
    expect(start.equals(later)).toBe(false);
  });

  it('paints the same pixels for the same seed and frame', async () => {
    const size = { width: 32, height: 32 };
    const first = await paint(createScene(42), size, 0.25, noCheckpoint);
    const second = await paint(createScene(42), size, 0.25, noCheckpoint);
    expect(first.equals(second)).toBe(true);
  });
});
