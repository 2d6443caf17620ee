#!/usr/bin/env node
// `npm start`: launches the desktop app with the Electron binary from node_modules/electron.
// Where that binary is missing (npm ci runs with electron's download script denied), it runs
// electron's own install.js once; where that cannot fetch it either (no network, an unsupported
// platform), it says so and points to the headless worker instead, exiting 1.
// Then it builds (`npm run build`; STUDIO_WORKER_SKIP_BUILD=1 skips that) and starts Electron on
// this folder, passing on its arguments (e.g. `npm start -- --hidden`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const electronDir = path.join(root, 'node_modules', 'electron');
/** Downloading Electron is ~100 MB: give it time, but not forever. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** The binary electron's index.js would run (same rules), or null when it is not there. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary = null;
  if (override) binary = path.join(override, relative || 'electron');
  else if (relative) binary = path.join(electronDir, 'dist', relative);
  return binary && existsSync(binary) ? binary : null;
}

function say(text) {
  process.stderr.write(`${text}\n`);
}

function cannotStart(reason) {
  say(`studio-worker: cannot start the desktop app — ${reason}.`);
  say('');
  say('Run the worker without Electron instead (same worker, same config file):');
  say('  npm run build && node bin/studio-worker.js run');
  say('and add --ui to open the settings window in a browser:');
  say('  node bin/studio-worker.js run --ui');
  process.exit(1);
}

let binary = electronBinary();
if (!binary) {
  const installer = path.join(electronDir, 'install.js');
  if (!existsSync(installer)) cannotStart('the electron package is not installed (run npm ci)');
  say('studio-worker: the Electron binary is missing; trying to download it once…');
  const install = spawnSync(process.execPath, [installer], {
    cwd: electronDir,
    stdio: 'inherit',
    timeout: INSTALL_TIMEOUT_MS,
  });
  binary = electronBinary();
  if (!binary) {
    const how =
      install.error?.message ??
      (install.status === 0 ? 'it did not install one' : `it exited with ${install.status}`);
    cannotStart(
      `the Electron binary could not be obtained (node_modules/electron/install.js: ${how})`,
    );
  }
}

if (process.env.STUDIO_WORKER_SKIP_BUILD !== '1') {
  // Through npm when npm runs us, so that `build` stays the one definition of a build.
  const npmCli = process.env.npm_execpath;
  const build = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', 'build', '--silent'], {
        cwd: root,
        stdio: 'inherit',
      })
    : spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b'], {
        cwd: root,
        stdio: 'inherit',
      });
  if (build.status !== 0) {
    say('studio-worker: the build failed; fix the errors above and run npm start again.');
    process.exit(build.status ?? 1);
  }
}
if (!existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  say('studio-worker: note: dist/renderer/index.html is not built, so the window will be empty.');
}

const env = { ...process.env };
// Set, it would make Electron run as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => cannotStart(`Electron did not start: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
