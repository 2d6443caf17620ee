// Which llama.cpp backends each installer carries, read from electron-builder.yml and matched the
// way electron-builder matches (its own minimatch, { dot: true }, ${os} and ${arch} expanded), for every
// platform and arch the config builds. Cheap: nothing is packed here (asar.test.ts packs Linux).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// electron-builder's own copy, not the older one at the top of node_modules.
const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))(
  'minimatch',
) as { minimatch: (file: string, pattern: string, options: { dot: boolean }) => boolean };

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  linux: { files?: unknown };
  mac: { files?: unknown };
  win: { files?: unknown };
}

async function builderConfig(): Promise<BuilderConfig> {
  return yaml.load(
    await readFile(path.join(root, 'electron-builder.yml'), 'utf8'),
  ) as BuilderConfig;
}

/** Every backend package node-llama-cpp 3.21.1 may install, on any platform. */
async function backendPackages(): Promise<string[]> {
  const pkg = JSON.parse(
    await readFile(path.join(root, 'node_modules/node-llama-cpp/package.json'), 'utf8'),
  ) as { optionalDependencies: Record<string, string> };
  return Object.keys(pkg.optionalDependencies)
    .filter((name) => name.startsWith('@node-llama-cpp/'))
    .map((name) => name.slice('@node-llama-cpp/'.length));
}

/** Whether a file survives the exclusions (`!…` patterns) an installer's build applies. */
function kept(file: string, patterns: string[], os: string, arch: string): boolean {
  return patterns
    .filter((p) => p.startsWith('!'))
    .map((p) => p.slice(1).replaceAll('${os}', os).replaceAll('${arch}', arch))
    .every((pattern) => !minimatch(file, pattern, { dot: true }));
}

const BUILDS = [
  {
    os: 'linux',
    arch: 'x64',
    expected: ['linux-x64', 'linux-x64-cuda', 'linux-x64-cuda-ext', 'linux-x64-vulkan'],
  },
  { os: 'linux', arch: 'arm64', expected: ['linux-arm64'] },
  { os: 'mac', arch: 'x64', expected: ['mac-x64'] },
  { os: 'mac', arch: 'arm64', expected: ['mac-arm64-metal'] },
  {
    os: 'win',
    arch: 'x64',
    expected: ['win-x64', 'win-x64-cuda', 'win-x64-cuda-ext', 'win-x64-vulkan'],
  },
] as const;

describe('llama.cpp backends in the installers', () => {
  it.each(BUILDS)('the $os $arch installer carries only its own backends', async (build) => {
    const { files } = await builderConfig();
    const carried = (await backendPackages()).filter((name) =>
      kept(
        `node_modules/@node-llama-cpp/${name}/bins/${name}/llama-addon.node`,
        files,
        build.os,
        build.arch,
      ),
    );
    expect(carried.sort()).toEqual([...build.expected].sort());
  });

  it('keeps node-llama-cpp itself and leaves out its llama.cpp source bundle', async () => {
    const { files } = await builderConfig();
    expect(kept('node_modules/node-llama-cpp/dist/index.js', files, 'linux', 'x64')).toBe(true);
    expect(kept('node_modules/node-llama-cpp/llama/gitRelease.bundle', files, 'linux', 'x64')).toBe(
      false,
    );
  });

  it('has no per-platform file lists, which would replace the common one', async () => {
    // Found by packing: with a `files` list under linux, the app carried src/ and test/.
    const config = await builderConfig();
    expect([config.linux.files, config.mac.files, config.win.files]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('unpacks the native addons and libraries from the asar', async () => {
    const { asarUnpack } = await builderConfig();
    const unpacked = (file: string) => asarUnpack.some((p) => minimatch(file, p, { dot: true }));
    expect(
      unpacked('node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-cuda.so'),
    ).toBe(true);
    expect(unpacked('node_modules/@node-llama-cpp/win-x64/bins/win-x64/llama-addon.node')).toBe(
      true,
    );
    expect(unpacked('node_modules/node-llama-cpp/bins/_linux-x64.moved.txt')).toBe(true);
    // Its JavaScript stays inside the asar: only native files need to be real files.
    expect(unpacked('node_modules/node-llama-cpp/dist/index.js')).toBe(false);
  });
});
