// The real `studio-worker run` process against the real local studio: signals and exit codes.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { startStudioSim } from '../../src/studio-sim/index.js';
import { spawnCli } from '../helpers/cli.js';
import { configFor, eventually, tempDir } from '../helpers/harness.js';

let sim: StudioSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  sim = undefined;
  dir = undefined;
});

describe('studio-worker run', () => {
  it('finishes the running job on SIGTERM, flushes its logs and exits 0', async () => {
    sim = await startStudioSim({ port: 0 });
    dir = await tempDir();
    const store = await configFor(sim, dir, {
      engine: 'multi',
      engines: [{ engine: 'synthetic', delay_ms: 1_500 }],
    });
    const id = sim.enqueue({
      model: SYNTHETIC_MODELS.image![0]!,
      task: { kind: 'image', prompt: 'slow', width: 16, height: 16 },
    });
    const run = spawnCli(['run', '--config', store.path]);
    const s = sim;
    await eventually(() => s.job(id)?.state === 'leased', 'the job to be claimed', 15_000);
    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code, run.output()).toBe(0);
    expect(s.job(id)?.state).toBe('completed');
    expect(s.logs().some((l) => l.message === 'stopped')).toBe(true);
    expect(result.stdout).toContain('letting job');
  });

  it('keeps trying to register while the studio is unreachable and stops cleanly on SIGINT', async () => {
    dir = await tempDir();
    sim = await startStudioSim({ port: 0 });
    const store = await configFor(sim, dir);
    await sim.close(); // the port is now closed: connection refused
    sim = undefined;
    const run = spawnCli(['run', '--config', store.path]);
    await eventually(
      () => run.output().includes('studio unreachable'),
      'the unreachable warning',
      10_000,
    );
    run.child.kill('SIGINT');
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('could not reach the studio');
  });

  it('keeps trying to register after a garbled 200, as after a 500, and then works', async () => {
    dir = await tempDir();
    sim = await startStudioSim({ port: 0, faults: { routes: { register: { malformed: 1 } } } });
    const store = await configFor(sim, dir);
    const run = spawnCli(['run', '--config', store.path]);
    const s = sim;
    // Real time: a real process retries with its real backoff (at most 0.4 s here).
    await eventually(
      () => s.faultLog().filter((f) => f.kind === 'malformed').length >= 2,
      'a second register after the garbled answer',
      15_000,
    );
    s.setFaults(undefined);
    const id = s.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
    await eventually(
      () => s.job(id)?.state === 'completed' || run.child.exitCode !== null,
      'the job, or the process to end',
      15_000,
    );
    expect(run.child.exitCode, run.output()).toBeNull();
    expect(s.job(id)?.state).toBe('completed');
    run.child.kill('SIGTERM');
    const result = await run.exited;
    expect(result.code, run.output()).toBe(0);
    expect(result.stdout).toContain(
      'register failed: the studio answered 200 with a body that is not JSON',
    );
  });
});
