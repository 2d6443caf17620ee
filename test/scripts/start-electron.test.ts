// `npm start` (scripts/start-electron.mjs): a clear message and exit 1 where Electron cannot be
// had, and Electron started on this folder with the arguments where it can.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(root, 'scripts', 'start-electron.mjs');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function start(env: Record<string, string>, args: string[] = []) {
  const clean = { ...process.env };
  delete clean.ELECTRON_OVERRIDE_DIST_PATH;
  delete clean.npm_execpath;
  return spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
}

describe('npm start', () => {
  it('without an Electron binary, tries the installer once, then points to the headless worker and exits 1', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-no-electron-'));
    // The override points at an empty folder, and the installer is told not to download.
    const result = start({ ELECTRON_OVERRIDE_DIST_PATH: dir, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('trying to download it once');
    expect(result.stderr).toContain('cannot start the desktop app');
    expect(result.stderr).toContain('node bin/studio-worker.js run');
  });

  it.runIf(process.platform !== 'win32')(
    'with an Electron binary, starts it on the app folder with the arguments given',
    async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-fake-electron-'));
      const record = path.join(dir, 'args.txt');
      const binary = path.join(dir, 'electron');
      await writeFile(
        binary,
        `#!/bin/sh\nprintf '%s\\n' "$@" "run-as-node=$ELECTRON_RUN_AS_NODE" > '${record}'\nexit 7\n`,
      );
      await chmod(binary, 0o755);
      const result = start(
        {
          ELECTRON_OVERRIDE_DIST_PATH: dir,
          STUDIO_WORKER_SKIP_BUILD: '1',
          ELECTRON_RUN_AS_NODE: '1',
        },
        ['--hidden'],
      );
      expect(result.status).toBe(7);
      expect((await readFile(record, 'utf8')).trim().split('\n')).toEqual([
        path.resolve(root),
        '--hidden',
        // Electron must run as Electron, not as Node.
        'run-as-node=',
      ]);
    },
  );
});
