#!/usr/bin/env node
// Entry point of the `studio-worker` command. The code lives in dist/ (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('studio-worker is not built yet: run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Anything still pending (a forced stop leaves a job behind) must not keep the process alive.
setTimeout(() => process.exit(code), 500).unref();
