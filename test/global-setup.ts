// Builds dist/ once before the suite: the tests that run the real `studio-worker` process need it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], {
    cwd: root,
    stdio: 'inherit',
  });
}
