// A fleet worker configured only by the environment: the real `studio-worker run` process, no
// config file, settings from STUDIO_WORKER_* and the bootstrap token from a secret file, against
// the real local studio. It registers, runs a job, serves its endpoints, keeps its identity in
// the state folder, and never prints the token.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { eventually, FAST_SCHEDULE, tempDir } from '../helpers/harness.js';

let sim: StudioSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

const SECRET = 'fleet-bootstrap-7f3c9a51d2e84b06';

function envFor(s: StudioSim, folder: string): NodeJS.ProcessEnv {
  const schedule = Object.fromEntries(
    Object.entries(FAST_SCHEDULE).map(([key, value]) => [
      `STUDIO_WORKER_SCHEDULE_${key.toUpperCase()}`,
      String(value),
    ]),
  );
  return {
    STUDIO_WORKER_CONFIG: path.join(folder, 'config.toml'),
    STUDIO_WORKER_API_BASE_URL: s.url,
    STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE: path.join(folder, 'bootstrap-token'),
    STUDIO_WORKER_STATE_DIR: path.join(folder, 'state'),
    STUDIO_WORKER_METRICS_LISTEN: '127.0.0.1:0',
    STUDIO_WORKER_AUTO_UPDATE_ENABLED: 'false',
    ...schedule,
  };
}

describe('env-only configuration', () => {
  it('registers and runs a job with no config file, keeps its identity, and never shows the token', async () => {
    sim = await startStudioSim({ port: 0, bootstrapToken: SECRET });
    dir = await tempDir();
    // As Kubernetes mounts a Secret: the value with a trailing newline, readable by the owner.
    await writeFile(path.join(dir, 'bootstrap-token'), `${SECRET}\n`, { mode: 0o600 });
    const env = envFor(sim, dir);
    const s = sim;

    // Real time: a real child process registering and claiming over loopback.
    const run = spawnCli(['run'], env);
    await eventually(
      () => /health and metrics at (\S+)\/metrics/.test(run.output()),
      'endpoints',
      15_000,
    );
    const origin = /health and metrics at (\S+)\/metrics/.exec(run.output())![1]!;
    await eventually(
      async () => (await fetch(`${origin}/readyz`)).status === 200,
      'the worker to be ready',
      15_000,
    );
    const id = s.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: { kind: 'image', prompt: 'a lighthouse', width: 16, height: 16 },
    });
    await eventually(() => s.job(id)?.state === 'completed', 'the job to complete', 15_000);
    await eventually(
      async () =>
        /studio_worker_jobs_total\{kind="image",outcome="completed"\} 1/.test(
          await (await fetch(`${origin}/metrics`)).text(),
        ),
      'the job counter to move',
    );
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code, run.output()).toBe(0);

    // No config file was created or written; the identity is in the state folder.
    await expect(stat(path.join(dir, 'config.toml'))).rejects.toThrow(/ENOENT/);
    const identity = JSON.parse(
      await readFile(path.join(dir, 'state', 'identity.json'), 'utf8'),
    ) as {
      worker_id: string;
      auth_token: string;
    };
    expect(identity.worker_id).toMatch(/\S/);
    expect(identity.auth_token).toMatch(/\S/);

    // The token reaches no output: not the process's, not the metrics, not the shipped logs.
    const shippedLogs = JSON.stringify(s.logs());
    for (const text of [result.stdout, result.stderr, metrics, shippedLogs]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(identity.auth_token);
    }

    // A restarted worker (a new pod on the same node) keeps its identity: no new registration.
    const again = spawnCli(['run'], env);
    await eventually(() => again.output().includes('health and metrics at'), 'restart', 15_000);
    const origin2 = /health and metrics at (\S+)\/metrics/.exec(again.output())![1]!;
    await eventually(
      async () => (await fetch(`${origin2}/readyz`)).status === 200,
      'the restarted worker to be ready',
      15_000,
    );
    // `studio-worker status` finds the running worker through the state folder.
    const status = await runCli(['status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      running: true,
      registration: { kind: 'registered', workerId: identity.worker_id },
    });
    expect(status.stdout).not.toContain(SECRET);
    again.child.kill('SIGTERM');
    const second = await again.exited;
    expect(second.code, again.output()).toBe(0);
    expect(second.stdout).not.toContain('registered as worker');
    expect(second.stdout + second.stderr).not.toContain(SECRET);
  });

  it('refuses a bad variable before starting, naming it, without echoing the secret file', async () => {
    sim = await startStudioSim({ port: 0, bootstrapToken: SECRET });
    dir = await tempDir();
    await writeFile(path.join(dir, 'bootstrap-token'), SECRET, { mode: 0o600 });
    const env = { ...envFor(sim, dir), STUDIO_WORKER_JOB_TIMEOUT_SECS: '0' };
    // Real time: a real child process that exits at once.
    const run = spawnCli(['run'], env);
    const result = await run.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'STUDIO_WORKER_JOB_TIMEOUT_SECS: job_timeout_secs must be from 10 to 86400 (got 0)',
    );
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});
