// Packaging smoke test, offline: electron-builder packs the built app for Linux into a folder
// (`--linux dir`) around a stub Electron, and the test reads what a user would install: the
// app.asar's contents and size, the unpacked native modules, and resources/app-update.yml.
// Installers (AppImage, deb, NSIS, dmg) and the fuses need a real Electron: not checked here.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
/** Measured at 24.6 MiB (electron-builder 26, the dependencies of package.json 0.2.0): ≈1.5×. */
const ASAR_BUDGET_BYTES = 37 * 1024 * 1024;

let tmp = '';
let resources = '';
let entries: string[] = [];
let packLog = '';

/** Builds main, preload and the window where the suite's global setup (CLI only) did not. */
async function ensureBuilt(): Promise<void> {
  const needed = ['dist/main/index.js', 'dist/preload/index.cjs', 'dist/renderer/index.html'];
  if (needed.every((file) => existsSync(path.join(root, file)))) return;
  await run(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], { cwd: root });
  await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: root,
  });
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-pack-'));
  const stub = path.join(tmp, 'electron-stub');
  await mkdir(stub);
  await writeFile(path.join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
  await chmod(path.join(stub, 'electron'), 0o755);
  const out = path.join(tmp, 'out');
  const { stdout, stderr } = await run(
    path.join(root, 'node_modules/.bin/electron-builder'),
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  packLog = stdout + stderr;
  resources = path.join(out, 'linux-unpacked', 'resources');
  entries = listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((entry) =>
    entry.split(path.sep).join('/'),
  );
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const has = (entry: string) => entries.includes(entry);
const under = (dir: string) => entries.filter((e) => e.startsWith(`${dir}/`));

describe('the packed app (electron-builder --linux dir, stub Electron)', () => {
  it('contains the built main, preload, window, icons and package.json', () => {
    expect(has('/package.json')).toBe(true);
    expect(has('/dist/main/index.js')).toBe(true);
    expect(has('/dist/preload/index.cjs')).toBe(true);
    expect(has('/dist/renderer/index.html')).toBe(true);
    expect(under('/dist/renderer/assets').some((e) => e.endsWith('.js'))).toBe(true);
    expect(under('/dist/core').length).toBeGreaterThan(0);
    expect(has('/dist/shared/snapshot.js')).toBe(true);
    expect(has('/assets/icon.png')).toBe(true);
    expect(under('/assets/tray').length).toBeGreaterThan(0);
  });

  it('contains the runtime dependencies', () => {
    for (const dep of [
      'undici',
      'zod',
      'smol-toml',
      'busboy',
      'electron-updater',
      'electron-log',
    ]) {
      expect(has(`/node_modules/${dep}/package.json`), dep).toBe(true);
    }
    expect(has('/node_modules/@sentry/electron/package.json')).toBe(true);
  });

  it('leaves out sources, tests, source maps, type declarations and the CLI-only code', () => {
    const ours = entries.filter((e) => !e.startsWith('/node_modules/'));
    for (const dir of ['/src', '/test', '/renderer', '/scripts', '/bench', '/bin', '/release']) {
      expect(under(dir), dir).toEqual([]);
    }
    for (const dir of ['/dist/cli', '/dist/studio-sim', '/dist/bench', '/dist/src']) {
      expect(under(dir), dir).toEqual([]);
    }
    expect(ours.filter((e) => /\.(map|d\.ts|d\.cts|tsbuildinfo)$/.test(e))).toEqual([]);
    expect(ours.filter((e) => /\.tsx?$/.test(e))).toEqual([]);
  });

  it('leaves out what no running code loads from the dependencies: TypeScript sources, tests, docs', () => {
    const deps = entries.filter((e) => e.startsWith('/node_modules/'));
    expect(deps.filter((e) => /\.(ts|mts|cts|tsx)$/.test(e))).toEqual([]);
    expect(deps.filter((e) => /\/(tests?|__tests__)\//.test(e))).toEqual([]);
    expect(under('/node_modules/zod/src/v3/tests')).toEqual([]);
    // What runs stays: zod's compiled code and electron-log's main under src/.
    expect(has('/node_modules/zod/package.json')).toBe(true);
    expect(under('/node_modules/electron-log/src').some((e) => e.endsWith('.js'))).toBe(true);
  });

  it('leaves out the devDependencies: React is inside the Vite bundle, not node_modules', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const present = Object.keys(pkg.devDependencies).filter((dep) =>
      has(`/node_modules/${dep}/package.json`),
    );
    expect(present).toEqual([]);
    for (const dep of [
      'react',
      'react-dom',
      'vitest',
      'vite',
      'typescript',
      'electron',
      'zustand',
    ]) {
      expect(under(`/node_modules/${dep}`), dep).toEqual([]);
    }
  });

  it('unpacks sharp and its libvips from the asar so they can be loaded', async () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    expect(await readdir(unpacked)).toEqual(expect.arrayContaining(['sharp', '@img']));
    expect((await readdir(path.join(unpacked, '@img'))).some((d) => d.startsWith('sharp-'))).toBe(
      true,
    );
  });

  it('unpacks llama.cpp for this platform and arch only, without its source bundle', async () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    const backends = (await readdir(path.join(unpacked, '@node-llama-cpp'))).sort();
    // linux-arm64 and linux-armv7l are installed here too (they list x64 for cross-builds).
    expect(backends).toEqual([
      'linux-x64',
      'linux-x64-cuda',
      'linux-x64-cuda-ext',
      'linux-x64-vulkan',
    ]);
    expect(
      existsSync(path.join(unpacked, '@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node')),
    ).toBe(true);
    expect(has('/node_modules/node-llama-cpp/dist/index.js')).toBe(true);
    expect(entries.some((e) => e.endsWith('gitRelease.bundle'))).toBe(false);
    for (const backend of backends) {
      const { stdout } = await run('du', ['-sm', path.join(unpacked, '@node-llama-cpp', backend)]);
      console.log(`llama.cpp backend ${backend}: ${stdout.split('\t')[0]} MiB unpacked`);
    }
  });

  it('points the updater at the configured GitHub feed', async () => {
    const yml = await readFile(path.join(resources, 'app-update.yml'), 'utf8');
    expect(yml).toMatch(/^provider: github$/m);
    expect(yml).toMatch(/^owner: studio-worker$/m);
    expect(yml).toMatch(/^repo: studio-worker$/m);
    expect(yml).toMatch(/^updaterCacheDirName: studio-worker-updater$/m);
  });

  it('runs the afterPack hook, which skips the fuses of the stub binary', () => {
    expect(packLog).toMatch(/after-pack: skipping Electron fuses \(.*not a real Electron binary\)/);
  });

  it(`keeps app.asar under its budget (${ASAR_BUDGET_BYTES / 1024 / 1024} MiB)`, async () => {
    const { size } = await stat(path.join(resources, 'app.asar'));
    console.log(`app.asar: ${(size / 1024 / 1024).toFixed(1)} MiB (${entries.length} entries)`);
    expect(size).toBeLessThan(ASAR_BUDGET_BYTES);
  });
});
