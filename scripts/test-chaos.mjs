#!/usr/bin/env node
// `npm run test:chaos [-- --big]`: the chaos and security suites on their own; --big runs the
// large sizes (2000 jobs instead of 300) and may take several minutes.
import { spawnSync } from 'node:child_process';

const big = process.argv.includes('--big');
const rest = process.argv.slice(2).filter((a) => a !== '--big');
const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', 'test/chaos', 'test/security', ...rest],
  { stdio: 'inherit', env: { ...process.env, ...(big ? { CHAOS_BIG: '1' } : {}) } },
);
process.exit(result.status ?? 1);
