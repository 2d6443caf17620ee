// The one-file CLI bundle (scripts/bundle-cli.mjs) as a real process: it is built fresh from
// dist/cli, answers --version, and a `run` against the real local studio reaches its first
// heartbeat; bin/studio-worker.js picks it over the module tree.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { BIN } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/cli-bundle/studio-worker.mjs', import.meta.url));
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string })
  .version;

/** Runs the bundle's main() in a fresh Node process, as the bin does, without the bin's choice. */
function spawnBundle(args: string[]) {
  const script = `const { main } = await import(${JSON.stringify(BUNDLE)});
const code = await main(${JSON.stringify(args)});
process.exitCode = code;
setTimeout(() => process.exit(code), 500).unref();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, exited, output: () => out };
}

beforeAll(() => {
  // Real time: tsc output must exist (the suite builds first); the bundle is rebuilt from it.
  const built = spawnSync(process.execPath, ['scripts/bundle-cli.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
}, 60_000);

let sim: StudioSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('the CLI bundle', () => {
  it('prints the version from package.json', async () => {
    const proc = spawnBundle(['--version']);
    expect(await proc.exited, proc.output()).toBe(0);
    expect(proc.output().trim()).toBe(VERSION);
  });

  it('runs a worker that registers and reaches its first heartbeat', async () => {
    sim = await startStudioSim({ port: 0 });
    dir = await tempDir();
    const store = await configFor(sim, dir);
    const proc = spawnBundle(['--config', store.path, 'run']);
    try {
      const s = sim;
      // Real time: a real process starts, registers and sends a heartbeat over loopback.
      await eventually(() => s.heartbeats().length > 0, 'the first heartbeat', 15_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${proc.output()}`);
        },
      );
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited, proc.output()).toBe(0);
  });

  it('is what bin/studio-worker.js starts, unless STUDIO_WORKER_UNBUNDLED=1', () => {
    // A resolve hook reports every module under dist/ the process loads.
    const hook = `export async function resolve(s, c, next) {
      const r = await next(s, c);
      if (r.url.includes('/dist/')) process.stderr.write('RESOLVED ' + r.url + '\\n');
      return r;
    }`;
    const register = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const start = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        process.execPath,
        ['--import', `data:text/javascript,${encodeURIComponent(register)}`, BIN, '--version'],
        { encoding: 'utf8', env: { ...process.env, ...env } },
      );
    const bundled = start({ STUDIO_WORKER_UNBUNDLED: '' });
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(bundled.stderr).toContain('/dist/cli-bundle/studio-worker.mjs');
    expect(bundled.stderr).not.toContain('/dist/cli/main.js');
    const modules = start({ STUDIO_WORKER_UNBUNDLED: '1' });
    expect(modules.status, modules.stderr).toBe(0);
    expect(modules.stderr).toContain('/dist/cli/main.js');
    expect(modules.stderr).not.toContain('/dist/cli-bundle/');
    // A bundle older than the last `tsc -b` of a project it holds is stale: not used.
    const now = new Date();
    utimesSync(BUNDLE, new Date(0), new Date(0));
    try {
      const stale = start({ STUDIO_WORKER_UNBUNDLED: '' });
      expect(stale.status, stale.stderr).toBe(0);
      expect(stale.stderr).toContain('/dist/cli/main.js');
    } finally {
      utimesSync(BUNDLE, now, now);
    }
  });
});
