#!/usr/bin/env node
// Renders every icon of the desktop app from the one source, assets/tray-icon.svg:
//   assets/tray/<state>.png, <state>@2x.png           tray, Linux (16 and 32 px)
//   assets/tray/<state>Template.png, …Template@2x.png  tray, macOS template images (black + alpha)
//   assets/tray/<state>.ico                           tray, Windows (16–64 px in one file)
//   assets/icon.png, assets/icon.ico                  app and window icon (512 px; 16–256 px)
// The generated files are committed; run `npm run icons` after changing the SVG.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** The tray states: must match TRAY_ICON_NAMES in src/main/tray/icon.ts (a test checks). */
const STATES = ['idle', 'working', 'paused', 'offline', 'update'];
const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48, 64];
const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const APP_PNG_SIZE = 512;
/** The SVG's own size (its viewBox): rendering at 72 dpi gives this many pixels. */
const SOURCE_PX = 32;

const assets = new URL('../assets/', import.meta.url);
const trayDir = new URL('tray/', assets);

/** The SVG for one state: the glyph plus that state's badge; black only for templates. */
export function svgForState(source, state, { template = false } = {}) {
  const hasBadge = source.includes(`data-state="${state}"`);
  let svg = source.replace(/<g data-state="([a-z]+)">[\s\S]*?<\/g>\n?/g, (group, name) =>
    name === state ? group : '',
  );
  // Without a badge the glyph's corner is not cut away for one.
  if (!hasBadge) svg = svg.replace(' mask="url(#badge-cutout)"', '');
  if (template) svg = svg.replace(/\b(fill|color)="#[0-9a-fA-F]{6}"/g, '$1="#000000"');
  return svg;
}

/** Renders the SVG at `size` pixels square, straight from the vectors (no scaling blur). */
export function renderPng(svg, size) {
  return sharp(Buffer.from(svg), { density: (72 * size) / SOURCE_PX })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/**
 * An ICO file holding the PNGs as they are: a 6-byte header, a 16-byte directory entry per
 * image (width and height 0 meaning 256), then the PNG data. Windows Vista and later read PNG
 * entries at every size.
 */
export function buildIco(images) {
  const headerSize = 6 + 16 * images.length;
  const header = Buffer.alloc(headerSize);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = headerSize;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

async function icoFrom(svg, sizes) {
  const images = [];
  for (const size of sizes) images.push({ size, png: await renderPng(svg, size) });
  return buildIco(images);
}

async function main() {
  const source = await readFile(new URL('tray-icon.svg', assets), 'utf8');
  await mkdir(trayDir, { recursive: true });
  const written = [];
  const write = async (url, data) => {
    await writeFile(url, data);
    written.push(fileURLToPath(url));
  };
  for (const state of STATES) {
    const colour = svgForState(source, state);
    const template = svgForState(source, state, { template: true });
    await write(new URL(`${state}.png`, trayDir), await renderPng(colour, 16));
    await write(new URL(`${state}@2x.png`, trayDir), await renderPng(colour, 32));
    await write(new URL(`${state}Template.png`, trayDir), await renderPng(template, 16));
    await write(new URL(`${state}Template@2x.png`, trayDir), await renderPng(template, 32));
    await write(new URL(`${state}.ico`, trayDir), await icoFrom(colour, TRAY_ICO_SIZES));
  }
  const app = svgForState(source, 'idle');
  await write(new URL('icon.png', assets), await renderPng(app, APP_PNG_SIZE));
  await write(new URL('icon.ico', assets), await icoFrom(app, APP_ICO_SIZES));
  process.stdout.write(`wrote ${written.length} icons:\n${written.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    process.stderr.write(`generate-icons: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
}
