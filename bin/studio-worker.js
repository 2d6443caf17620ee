#!/usr/bin/env node
// Entry point of the `studio-worker` command. The code lives in dist/ (built by `npm run build`).
// The one-file bundle (dist/cli-bundle, scripts/bundle-cli.mjs) starts faster than the hundreds
// of modules under dist/; it is used unless a `tsc -b` has rebuilt any of the CLI's projects
// since (their .tsbuildinfo is newer: the bundle would be stale) or STUDIO_WORKER_UNBUNDLED=1
// asks for the module tree (start-up A/B).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const modules = new URL('../dist/cli/main.js', import.meta.url);
const bundle = new URL('../dist/cli-bundle/studio-worker.mjs', import.meta.url);

function mtimeOf(url) {
  return statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
}

/** The projects the bundle is made of: tsc -b rewrites a project's .tsbuildinfo when it builds it. */
const PROJECTS = ['cli', 'core', 'shared', 'studio-sim'];

function chooseEntry() {
  const stamps = PROJECTS.map((p) =>
    mtimeOf(new URL(`../dist/${p}/tsconfig.tsbuildinfo`, import.meta.url)),
  );
  const modulesAt = Math.max(mtimeOf(modules) ?? 0, ...stamps.map((t) => t ?? 0));
  const bundleAt = process.env.STUDIO_WORKER_UNBUNDLED === '1' ? undefined : mtimeOf(bundle);
  if (bundleAt !== undefined && bundleAt >= modulesAt) return bundle;
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
