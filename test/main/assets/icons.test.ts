// The generated icons (scripts/generate-icons.mjs) are committed: every tray state has its file
// for every platform, the ICOs are well-formed, and the macOS templates are black and alpha only.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_NAMES, trayIconFile } from '../../../src/main/tray/icon.js';

const tray = (name: string) =>
  fileURLToPath(new URL(`../../../assets/tray/${name}`, import.meta.url));
const asset = (name: string) => fileURLToPath(new URL(`../../../assets/${name}`, import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The images of an ICO file: each entry's declared size and its PNG's real size. */
function readIco(bytes: Buffer) {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const declared = bytes.readUInt8(entry) || 256;
    const length = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    const png = bytes.subarray(offset, offset + length);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height right after the signature and the chunk header.
    return {
      declared,
      width: png.readUInt32BE(16),
      height: png.readUInt32BE(20),
      end: offset + length,
    };
  });
}

describe('the committed icons', () => {
  it('exist for every tray state on every platform, with @2x PNGs', () => {
    for (const name of TRAY_ICON_NAMES) {
      for (const platform of ['darwin', 'win32', 'linux'] as const) {
        expect(existsSync(tray(trayIconFile(name, platform))), `${name} on ${platform}`).toBe(true);
      }
      expect(existsSync(tray(`${name}@2x.png`))).toBe(true);
      expect(existsSync(tray(`${name}Template@2x.png`))).toBe(true);
    }
  });

  it('have the sizes they claim', async () => {
    expect(await sharp(tray('working.png')).metadata()).toMatchObject({ width: 16, height: 16 });
    expect(await sharp(tray('working@2x.png')).metadata()).toMatchObject({ width: 32, height: 32 });
    expect(await sharp(asset('icon.png')).metadata()).toMatchObject({ width: 512, height: 512 });
  });

  it('are multi-size ICO files of PNG images for Windows', async () => {
    const images = readIco(await readFile(tray('update.ico')));
    expect(images.map((i) => i.declared)).toEqual([16, 20, 24, 32, 40, 48, 64]);
    for (const image of images)
      expect([image.width, image.height]).toEqual([image.declared, image.declared]);
    const bytes = await readFile(asset('icon.ico'));
    const app = readIco(bytes);
    expect(app.map((i) => i.declared)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(app.at(-1)?.end).toBe(bytes.length);
  });

  it('are black and alpha only as macOS template images', async () => {
    for (const name of TRAY_ICON_NAMES) {
      const { data, info } = await sharp(tray(`${name}Template@2x.png`))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      let visible = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        if (data[i + 3] === 0) continue;
        visible += 1;
        expect([data[i], data[i + 1], data[i + 2]]).toEqual([0, 0, 0]);
      }
      expect(visible).toBeGreaterThan(100);
    }
  });

  it('differ between states', async () => {
    const files = await Promise.all(TRAY_ICON_NAMES.map((n) => readFile(tray(`${n}@2x.png`))));
    expect(new Set(files.map((f) => f.toString('base64'))).size).toBe(TRAY_ICON_NAMES.length);
  });
});
