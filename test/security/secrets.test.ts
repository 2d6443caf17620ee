// Secrets never leave: a worker goes through registration, jobs, studio errors, a revoked token
// and a crashing engine, and every output is searched for the secret values.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/core/control/commands.js';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { configFor, eventually, startHarness, tempDir } from '../helpers/harness.js';

const BOOTSTRAP = 'boot-SECRET-7f3a9c1e';

function leaks(text: string, secrets: string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

describe('secrets', () => {
  it('never appear in logs, shipped logs, snapshots, command errors or CLI output', async () => {
    const engine = createSyntheticEngine();
    const crashing = {
      ...engine,
      run: async () => Promise.reject(new Error(`engine exploded (token ${BOOTSTRAP})`)),
    };
    const h = await startHarness({
      sim: { bootstrapToken: BOOTSTRAP },
      config: { bootstrap_token: BOOTSTRAP },
      engine: crashing,
    });
    try {
      const authToken = h.store.current().auth_token!;
      const secrets = [BOOTSTRAP, authToken];
      const snapshots: string[] = [];
      h.worker.observers.subscribe(() =>
        snapshots.push(JSON.stringify(h.worker.observers.snapshot())),
      );

      const id = h.sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
      const sim = h.sim;
      await eventually(
        () => (sim.job(id)?.attempts ?? 0) >= 1 && sim.job(id)?.state !== 'leased',
        'the failed job',
      );
      sim.setFaults({ routes: { heartbeat: { status: [{ code: 500, probability: 1 }] } } });
      await new Promise((r) => setTimeout(r, 200));
      sim.setFaults(undefined);
      const refused = await applyCommand(
        h.worker,
        {},
        { type: 'register', bootstrapToken: 'wrong-SECRET-123' },
      );
      expect(refused.ok).toBe(false);
      sim.revokeWorker(h.store.current().worker_id!);
      await eventually(
        () => h.worker.observers.snapshot().registration.kind === 'credentials-rejected',
        'the rejected state',
      );

      const config = await runCli(['--config', h.store.path, 'config']);
      const status = await runCli(['--config', h.store.path, 'status', '--json']);
      await h.worker.stop({ graceMs: 1_000 });

      const outputs = {
        'local log lines': JSON.stringify(h.logs),
        'shipped log lines': JSON.stringify(sim.logs()),
        snapshots: snapshots.join('\n'),
        'failed job reason at the studio': JSON.stringify(sim.jobs().map((j) => j.error)),
        'command error': JSON.stringify(refused),
        'config output': config.stdout + config.stderr,
        'status output': status.stdout + status.stderr,
      };
      for (const [where, text] of Object.entries(outputs)) {
        expect(leaks(text, [...secrets, 'wrong-SECRET-123']), where).toEqual([]);
      }
      // The engine's error did carry the token: it was redacted, not lost.
      expect(JSON.stringify(sim.jobs().map((j) => j.error))).toContain('<redacted>');
    } finally {
      await h.close();
    }
  });

  it('never appear in the output or status file of the real `run` process', async () => {
    const sim = await startStudioSim({ port: 0, bootstrapToken: BOOTSTRAP });
    const dir = await tempDir();
    try {
      const store = await configFor(sim, dir, { bootstrap_token: BOOTSTRAP });
      const run = spawnCli(['run', '--config', store.path, '--log-format', 'json']);
      const id = sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
      await eventually(() => sim.job(id)?.state === 'completed', 'a job', 15_000);
      run.child.kill('SIGTERM');
      const result = await run.exited;
      const authToken =
        (await readFile(store.path, 'utf8')).match(/auth_token = "(.+)"/)?.[1] ?? '';
      expect(authToken.length).toBeGreaterThan(8);
      const statusFile = await readFile(path.join(dir, 'worker-status.json'), 'utf8');
      expect(leaks(result.stdout + result.stderr, [BOOTSTRAP, authToken])).toEqual([]);
      expect(leaks(statusFile, [BOOTSTRAP, authToken])).toEqual([]);
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
