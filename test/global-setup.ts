// Builds the CLI (and its one-file bundle) and the settings window into dist/ once before the suite: the tests that run the
// real `studio-worker` process (and its `run --ui` window in Chromium) need them. The full build,
// Electron main included, is `npm run build`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  // For a focused run while dist/ is already built: STUDIO_WORKER_SKIP_BUILD=1 npx vitest run …
  if (process.env.STUDIO_WORKER_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'src/cli'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The CLI processes the tests start run the one-file bundle, as a user's would.
  execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: root, stdio: 'inherit' });
}
