#!/usr/bin/env node
// Entry point of the `studio-worker` command. The code lives in dist/ (built by `npm run build`).
// The one-file bundle (dist/cli-bundle, scripts/bundle-cli.mjs) starts faster than the hundreds
// of modules under dist/cli; it is used unless it is older than dist/cli (a `tsc -b` without a
// bundle step since) or STUDIO_WORKER_UNBUNDLED=1 asks for the module tree (start-up A/B).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const modules = new URL('../dist/cli/main.js', import.meta.url);
const bundle = new URL('../dist/cli-bundle/studio-worker.mjs', import.meta.url);

function mtimeOf(url) {
  return statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
}

function chooseEntry() {
  const modulesAt = mtimeOf(modules);
  const bundleAt = process.env.STUDIO_WORKER_UNBUNDLED === '1' ? undefined : mtimeOf(bundle);
  if (bundleAt !== undefined && (modulesAt === undefined || bundleAt >= modulesAt)) return bundle;
  return existsSync(fileURLToPath(modules)) ? modules : undefined;
}

const entry = chooseEntry();
if (!entry) {
  process.stderr.write('studio-worker is not built yet: run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Anything still pending (a forced stop leaves a job behind) must not keep the process alive.
setTimeout(() => process.exit(code), 500).unref();
