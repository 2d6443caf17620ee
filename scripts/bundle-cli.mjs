#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, from `tsc -b`) into one file,
// dist/cli-bundle/studio-worker.mjs, so that starting `studio-worker` resolves, reads and compiles
// one module instead of a few hundred. bin/studio-worker.js prefers the bundle when it is there
// and not older than dist/cli/main.js. Commands stay lazy: esbuild keeps each dynamically
// imported command in a wrapper that runs only when the command is chosen.
// Native and Electron packages stay outside (they load their own binaries or need Electron).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const distDir = path.join(root, 'dist');
const outFile = path.join(distDir, 'cli-bundle', 'studio-worker.mjs');
const EXTERNAL = ['sharp', 'node-llama-cpp', 'electron', 'electron-*', '@sentry/electron'];

/**
 * Modules find files next to themselves with `new URL(rel, import.meta.url)` (package.json, the
 * built renderer). In the bundle import.meta.url is the bundle's own URL, so each module's
 * import.meta.url is rewritten to the URL its compiled file has in dist/, relative to the bundle.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = path.relative(path.dirname(outFile), args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [path.join(distDir, 'cli', 'main.js')],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS packages inside the bundle call require() for Node built-ins; ESM has none.
  banner: {
    js: "import { createRequire as __swCreateRequire } from 'node:module'; const require = __swCreateRequire(import.meta.url);",
  },
  plugins: [keepModuleUrls],
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
});
