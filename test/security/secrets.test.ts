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
      await eventually(
        () => h.worker.observers.snapshot().lastHeartbeat?.outcome.kind === 'error',
        'the worker to see a heartbeat fail',
      );
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

  describe('a password in api_base_url', () => {
    const PASSWORD = 'url-PASS-SECRET-5d1';
    const withPassword = (url: string) => url.replace('http://', `http://worker:${PASSWORD}@`);

    it('never appears in logs, shipped logs, snapshots, errors or command results', async () => {
      const h = await startHarness({ register: false, start: false });
      try {
        await h.store.update((c) => ({ ...c, api_base_url: withPassword(h.sim.url) }));
        // A fresh worker on that config, as `run` would start.
        const worker = await h.restart();
        const snapshots = [JSON.stringify(worker.observers.snapshot())];
        worker.observers.subscribe(() =>
          snapshots.push(JSON.stringify(worker.observers.snapshot())),
        );
        await worker.register();
        const id = h.sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
        const sim = h.sim;
        await eventually(() => sim.job(id)?.state === 'completed', 'the job');

        // The window shows the URL redacted; saving what it shows keeps the password.
        const shown = h.worker.observers.snapshot().settings.apiBaseUrl;
        expect(shown).toBe(h.sim.url.replace('http://', 'http://<redacted>@'));
        const saved = await applyCommand(
          h.worker,
          {},
          { type: 'saveSettings', settings: { apiBaseUrl: `${shown}/` } },
        );
        expect(saved.ok).toBe(true);
        expect(h.store.current().api_base_url).toBe(`${withPassword(h.sim.url)}/`);
        // A URL the config refuses is quoted in the error, without its password.
        const refused = await applyCommand(
          h.worker,
          {},
          {
            type: 'saveSettings',
            settings: { apiBaseUrl: `http://worker:${PASSWORD}@studio.example.com` },
          },
        );
        expect(refused.ok).toBe(false);

        // A studio that cannot be reached: the error names the URL.
        await h.store.update((c) => ({ ...c, api_base_url: withPassword('http://127.0.0.1:1') }));
        await eventually(
          () => /could not reach/.test(h.worker.observers.snapshot().lastError ?? ''),
          'the connection error',
        );
        const status = await runCli(['--config', h.store.path, 'status', '--json']);
        const statusText = await runCli(['--config', h.store.path, 'status']);
        await h.store.update((c) => ({ ...c, api_base_url: withPassword(h.sim.url) }));
        await h.worker.stop({ graceMs: 1_000 });

        const outputs = {
          'local log lines': JSON.stringify(h.logs),
          'shipped log lines': JSON.stringify(sim.logs()),
          snapshots: snapshots.join('\n'),
          'command error': JSON.stringify(refused),
          'status --json': status.stdout + status.stderr,
          status: statusText.stdout + statusText.stderr,
        };
        for (const [where, text] of Object.entries(outputs)) {
          expect(leaks(text, [PASSWORD]), where).toEqual([]);
        }
        expect(JSON.stringify(h.logs)).toContain('studio: http://<redacted>@127.0.0.1');
        expect(JSON.stringify(h.logs)).toContain(
          'could not reach the studio at http://<redacted>@127.0.0.1:1',
        );
        expect(refused).toMatchObject({ error: expect.stringContaining('<redacted>@studio') });
        expect(statusText.stdout).toContain('studio:         http://<redacted>@127.0.0.1');
      } finally {
        await h.close();
      }
    });

    it('never appears in the output or status file of the real `run` process', async () => {
      const sim = await startStudioSim({ port: 0 });
      const dir = await tempDir();
      try {
        const store = await configFor(sim, dir, { api_base_url: withPassword(sim.url) });
        const run = spawnCli(['run', '--config', store.path]);
        const id = sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
        await eventually(() => sim.job(id)?.state === 'completed', 'a job', 15_000);
        const status = await runCli(['--config', store.path, 'status', '--json']);
        run.child.kill('SIGTERM');
        const result = await run.exited;
        const statusFile = await readFile(path.join(dir, 'worker-status.json'), 'utf8');
        expect(result.stdout).toContain('studio: http://<redacted>@127.0.0.1');
        expect(JSON.parse(status.stdout)).toMatchObject({ running: true });
        expect(leaks(result.stdout + result.stderr, [PASSWORD])).toEqual([]);
        expect(leaks(status.stdout + status.stderr, [PASSWORD])).toEqual([]);
        expect(leaks(statusFile, [PASSWORD])).toEqual([]);
        expect(leaks(JSON.stringify(sim.logs()), [PASSWORD])).toEqual([]);
      } finally {
        await sim.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
