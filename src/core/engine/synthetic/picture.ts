// The synthetic engine's pictures: a seeded landscape (a sky gradient, soft glowing discs, layered
// hills) painted into raw RGB pixels. `t` in [0, 1) animates it as a seamless loop for videos.
import { between, createRandom, intBetween, type Random } from './seed.js';

export interface Size {
  width: number;
  height: number;
}

type Rgb = readonly [number, number, number];

interface Glow {
  /** Centre and orbit, in fractions of the width/height; radius in fractions of the shorter side. */
  x: number;
  y: number;
  orbit: number;
  phase: number;
  radius: number;
  alpha: number;
  colour: Rgb;
}

interface Hill {
  /** Ridge height as a fraction of the height, its waves, and its colour (near hills darker). */
  base: number;
  amplitude: number;
  frequency: number;
  phase: number;
  /** Whole turns per animation loop, so that the last frame joins the first. */
  speed: number;
  colour: Rgb;
}

export interface Scene {
  top: Rgb;
  bottom: Rgb;
  angle: number;
  glows: Glow[];
  hills: Hill[];
}

/** Rows painted between two checkpoints: small enough that an abort is noticed promptly. */
const ROWS_PER_BAND = 64;

/** The scene a seed stands for; the same seed always gives the same scene. */
export function createScene(seed: number): Scene {
  const random = createRandom(seed);
  const hue = random() * 360;
  const glows = Array.from({ length: intBetween(random, 3, 6) }, (_, index) =>
    createGlow(random, hue, index === 0),
  );
  const hillHue = hue + 180 + between(random, -30, 30);
  const hills = Array.from({ length: 3 }, (_, layer) => ({
    base: 0.58 + layer * 0.12 + between(random, -0.04, 0.04),
    amplitude: between(random, 0.03, 0.09),
    frequency: between(random, 1, 3.5),
    phase: random() * Math.PI * 2,
    speed: layer + 1,
    colour: hsl(hillHue + layer * 12, 0.35, 0.34 - layer * 0.08),
  }));
  return {
    top: hsl(hue, 0.55, 0.22),
    bottom: hsl(hue + 45, 0.75, 0.72),
    angle: Math.PI / 2 + between(random, -0.6, 0.6),
    glows,
    hills,
  };
}

function createGlow(random: Random, hue: number, isSun: boolean): Glow {
  return {
    x: between(random, 0.15, 0.85),
    y: between(random, 0.1, 0.6),
    orbit: between(random, 0.02, 0.08),
    phase: random() * Math.PI * 2,
    radius: isSun ? between(random, 0.14, 0.22) : between(random, 0.04, 0.14),
    alpha: isSun ? 0.9 : between(random, 0.25, 0.6),
    colour: isSun ? hsl(hue + 60, 0.9, 0.8) : hsl(hue + between(random, -60, 120), 0.7, 0.65),
  };
}

/**
 * Paints frame `t` of `scene` as raw RGB into `target` from byte `offset` (a new buffer when
 * omitted), awaiting `checkpoint` between bands of rows so a cancelled run stops promptly.
 */
export async function paint(
  scene: Scene,
  size: Size,
  t: number,
  checkpoint: () => Promise<void>,
  target: Buffer = Buffer.alloc(size.width * size.height * 3),
  offset = 0,
): Promise<Buffer> {
  const ridges = scene.hills.map((hill) => ridgeOf(hill, size, t));
  const glows = scene.glows.map((glow) => placeGlow(glow, size, t));
  for (let y0 = 0; y0 < size.height; y0 += ROWS_PER_BAND) {
    await checkpoint();
    const y1 = Math.min(size.height, y0 + ROWS_PER_BAND);
    for (let y = y0; y < y1; y++) {
      for (let x = 0; x < size.width; x++) {
        const colour = pixel(scene, ridges, glows, size, x, y);
        const at = offset + (y * size.width + x) * 3;
        target[at] = colour[0];
        target[at + 1] = colour[1];
        target[at + 2] = colour[2];
      }
    }
  }
  return target;
}

interface PlacedGlow {
  cx: number;
  cy: number;
  radius: number;
  alpha: number;
  colour: Rgb;
}

function placeGlow(glow: Glow, size: Size, t: number): PlacedGlow {
  const angle = glow.phase + t * Math.PI * 2;
  return {
    cx: (glow.x + glow.orbit * Math.cos(angle)) * size.width,
    cy: (glow.y + glow.orbit * Math.sin(angle)) * size.height,
    radius: glow.radius * Math.min(size.width, size.height),
    alpha: glow.alpha,
    colour: glow.colour,
  };
}

/** The ridge line of a hill: for each column, the row where the hill starts. */
function ridgeOf(hill: Hill, size: Size, t: number): Float64Array {
  const ridge = new Float64Array(size.width);
  const shift = hill.phase + t * hill.speed * Math.PI * 2;
  for (let x = 0; x < size.width; x++) {
    const u = x / size.width;
    const wave =
      Math.sin(u * hill.frequency * Math.PI * 2 + shift) +
      0.35 * Math.sin(u * hill.frequency * 5.3 * Math.PI + shift * 2);
    ridge[x] = (hill.base + hill.amplitude * wave) * size.height;
  }
  return ridge;
}

function pixel(
  scene: Scene,
  ridges: Float64Array[],
  glows: PlacedGlow[],
  size: Size,
  x: number,
  y: number,
): Rgb {
  // Nearest hill first: the first one whose ridge is above this pixel hides everything behind it.
  for (let layer = ridges.length - 1; layer >= 0; layer--) {
    const top = ridges[layer]![x]!;
    if (y >= top) {
      const shade = 1 - Math.min(0.35, ((y - top) / size.height) * 0.8);
      const colour = scene.hills[layer]!.colour;
      return [colour[0] * shade, colour[1] * shade, colour[2] * shade];
    }
  }
  const u = x / size.width - 0.5;
  const v = y / size.height - 0.5;
  const g = clamp01(0.5 + u * Math.cos(scene.angle) + v * Math.sin(scene.angle));
  let r = mix(scene.top[0], scene.bottom[0], g);
  let gr = mix(scene.top[1], scene.bottom[1], g);
  let b = mix(scene.top[2], scene.bottom[2], g);
  for (const glow of glows) {
    const dx = x - glow.cx;
    const dy = y - glow.cy;
    const d2 = dx * dx + dy * dy;
    if (d2 >= glow.radius * glow.radius) continue;
    // A soft edge: full strength in the inner 60% of the radius, fading to nothing at the rim.
    const d = Math.sqrt(d2) / glow.radius;
    const a = glow.alpha * (1 - smoothstep(0.6, 1, d));
    r = mix(r, glow.colour[0], a);
    gr = mix(gr, glow.colour[1], a);
    b = mix(b, glow.colour[2], a);
  }
  return [r, gr, b];
}

/** Shrinks `size` to fit `maxSide` on both sides, keeping the aspect ratio (never enlarges). */
export function fitWithin(size: Size, maxSide: number): Size {
  const scale = Math.min(1, maxSide / size.width, maxSide / size.height);
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 360;
  const q =
    lightness < 0.5
      ? lightness * (1 + saturation)
      : lightness + saturation - lightness * saturation;
  const p = 2 * lightness - q;
  const channel = (shift: number): number => {
    const c = (h + shift + 1) % 1;
    if (c < 1 / 6) return p + (q - p) * 6 * c;
    if (c < 1 / 2) return q;
    if (c < 2 / 3) return p + (q - p) * (2 / 3 - c) * 6;
    return p;
  };
  return [channel(1 / 3) * 255, channel(0) * 255, channel(-1 / 3) * 255];
}

function mix(a: number, b: number, amount: number): number {
  return a + (b - a) * amount;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function smoothstep(edge0: number, edge1: number, value: number): number {
  const x = clamp01((value - edge0) / (edge1 - edge0));
  return x * x * (3 - 2 * x);
}
