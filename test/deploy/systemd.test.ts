// deploy/systemd/studio-worker.service: accepted by `systemd-analyze verify` and rated at most
// 4.0 ("OK") by `systemd-analyze security --offline=true` (systemd: apt package systemd).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js';
import { deployText, which } from './helpers.js';

const run = promisify(execFile);
const unitText = deployText('systemd/studio-worker.service');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function systemdAnalyze(): string {
  const found = which('systemd-analyze');
  expect(
    found,
    'systemd-analyze is not installed: .ci/run installs the Debian package systemd',
  ).not.toBeNull();
  return found!;
}

/**
 * The unit as verify should see it. It starts /usr/bin/node (Debian's and NodeSource's path);
 * where Node lives elsewhere on this machine, the copy points at this Node so that verify's
 * "is the command executable" check is about the unit, not about this machine's layout.
 */
async function unitForThisMachine(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-worker-unit-'));
  const file = path.join(dir, 'studio-worker.service');
  await writeFile(file, unitText.replace('/usr/bin/node ', `${process.execPath} `));
  return file;
}

const setting = (name: string) =>
  [...unitText.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]);

describe('systemd unit', () => {
  it('says what the fleet needs: its user, folders, GPU groups, stop behaviour and restarts', () => {
    expect(setting('User')).toEqual(['studio-worker']);
    expect(setting('StateDirectory')).toEqual(['studio-worker']);
    expect(setting('ConfigurationDirectory')).toEqual(['studio-worker']);
    expect(setting('SupplementaryGroups')).toEqual(['video render']);
    expect(setting('KillMode')).toEqual(['mixed']);
    expect(setting('Restart')).toEqual(['on-failure']);
    expect(setting('ExecStart')[0]).toMatch(/^\/usr\/bin\/node \S+studio-worker\.js run$/);
    // The running job finishes (shutdown_grace_secs) before systemd sends SIGKILL.
    expect(Number(setting('TimeoutStopSec')[0])).toBeGreaterThan(
      DEFAULT_CONFIG.shutdown_grace_secs,
    );
    expect(setting('Environment')).toContain('STUDIO_WORKER_STATE_DIR=/var/lib/studio-worker');
    expect(setting('Environment')).toContain(
      'STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE=/etc/studio-worker/bootstrap-token',
    );
  });

  it('`systemd-analyze verify` accepts the unit', async () => {
    const analyze = systemdAnalyze();
    const file = await unitForThisMachine();
    // A real child process: verify loads the unit as systemd would.
    const result = await run(analyze, ['verify', '--man=no', file], { timeout: 60_000 });
    expect(result.stderr).toBe('');
  });

  it('`systemd-analyze security --offline=true` rates it at most 4.0 ("OK")', async () => {
    const analyze = systemdAnalyze();
    const file = await unitForThisMachine();
    const { stdout } = await run(analyze, ['security', '--offline=true', '--no-pager', file], {
      timeout: 60_000,
    });
    const match = /Overall exposure level for studio-worker\.service: (\d+\.\d+) (\w+)/.exec(
      stdout,
    );
    expect(match, stdout.slice(-500)).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(4.0);
  });
});
