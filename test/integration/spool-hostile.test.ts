// Hostile inputs that reach the spool: a spool_dir that is not the spool's, a 256-character job
// id, a job id `..`, unreadable metadata, and a disk that fills up or refuses writes. A real
// worker, real files in a temp folder, and the real local studio (or a real loopback server
// where the studio must break the protocol).
import { spawn } from 'node:child_process';
import { readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfigStore } from '../../src/core/config/store.js';
import { createSyntheticEngine } from '../../src/core/engine/synthetic/index.js';
import { createOsHostProbe } from '../../src/core/host/host.js';
import { claimTick } from '../../src/core/runtime/claim.js';
import {
  QUARANTINE_DIR,
  SPOOL_MARKER,
  createSpool,
  spoolFileBase,
} from '../../src/core/runtime/spool.js';
import { createWorker } from '../../src/core/runtime/worker.js';
import { createStudioClient } from '../../src/core/studio/client.js';
import { recordingServer, type Loopback } from '../core/studio/loopback-server.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness, tempDir } from '../helpers/harness.js';

let h: Harness | undefined;
let server: Loopback | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

const llmJob = { model: 'synthetic-llm', task: { kind: 'llm', messages: [] } };
const claims = (x: Harness) => x.sim.requests().filter((r) => r.route === 'claim').length;

describe('spool: hostile inputs', () => {
  it('refuses a spool_dir that holds the config, leaving config.toml in place', async () => {
    h = await startHarness({ start: false });
    const harness = h;
    // The config folder itself as spool_dir: the old spool deleted config.toml here.
    await harness.store.update((c) => ({ ...c, spool_dir: harness.dir }));
    const before = await readFile(harness.store.path, 'utf8');
    const worker = await harness.restart();
    harness.sim.enqueue(llmJob);
    await eventually(
      () => (worker.observers.snapshot().pausedReason ?? '').includes('already holds files'),
      'the refusal as the paused reason',
    );
    expect(worker.observers.snapshot().pausedReason).toContain('"config.toml"');
    expect(claims(harness)).toBe(0);
    expect(await readFile(harness.store.path, 'utf8')).toBe(before);
    expect(await readdir(harness.dir)).not.toContain(SPOOL_MARKER);
  });

  it('completes a job whose id is 256 characters long', async () => {
    h = await startHarness();
    const id = h.sim.enqueue({
      jobId: 'j'.repeat(256),
      model: 'synthetic-image',
      task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
    });
    const sim = h.sim;
    await eventually(() => sim.job(id)?.state === 'completed', 'the long-id job to complete');
    expect(sim.job(id)?.attempts).toBe(1);
  });

  it('refuses a job id ".." at claim: runs nothing and sends nothing to another route', async () => {
    const job = { jobId: '..', gameId: 'g', assetName: 'a', model: 'synthetic-llm' };
    server = await recordingServer((received, res) => {
      if (received.url.endsWith('/claim'))
        res.writeHead(200).end(
          JSON.stringify({
            ...job,
            vramGbEstimate: 1,
            task: { kind: 'llm', messages: [] },
          }),
        );
      else res.writeHead(204).end();
    });
    const dir = await tempDir();
    const store = await openConfigStore(path.join(dir, 'config.toml'));
    await store.update((c) => ({
      ...c,
      api_base_url: server!.url,
      worker_id: 'w-1',
      auth_token: 'tok-1',
    }));
    const worker = createWorker({
      configStore: store,
      studioFor: (baseUrl, secrets) => createStudioClient({ baseUrl, secrets, timeoutMs: 2_000 }),
      engine: createSyntheticEngine(),
      host: createOsHostProbe(24),
      agentVersion: '0.0.0-test',
      spoolDir: path.join(dir, 'spool'),
    });
    await worker.context.spool.init();
    const outcome = await claimTick(worker.context);
    expect(outcome).toMatchObject({ kind: 'error', error: { kind: 'malformed' } });
    // No fail either: its URL would reach workers/w-1/fail, another route.
    expect(server.received.map((r) => r.url)).toEqual(['/graphics/api/workers/w-1/claim']);
    expect(await worker.context.spool.list()).toEqual([]);
  });

  it('reports a spooled result with unreadable metadata failed (retryable) and keeps it aside', async () => {
    h = await startHarness({
      sim: { faults: { routes: { 'complete-json': { status: [{ code: 503, probability: 1 }] } } } },
    });
    const id = h.sim.enqueue(llmJob);
    const worker = h.worker;
    await eventually(() => worker.observers.snapshot().spool.count === 1, 'the result spooled');
    await worker.stop({ graceMs: 2_000 });
    const spoolDir = h.store.current().spool_dir!;
    const metaFile = path.join(spoolDir, `${spoolFileBase(id)}.json`);
    await truncate(metaFile, 25); // cut mid-write: `{"jobId":"job-1","kind":"`
    h.sim.setFaults(undefined);
    await h.restart();
    const sim = h.sim;
    await eventually(
      () => (sim.job(id)?.history ?? []).some((e) => e.kind === 'fail-reported'),
      'the damaged result reported failed',
    );
    const report = sim.job(id)!.history.find((e) => e.kind === 'fail-reported')!;
    expect(report.detail).toMatch(/^retryable: the result was damaged on disk/);
    // The files move once the studio has answered the report.
    const quarantined = () => readdir(path.join(spoolDir, QUARANTINE_DIR)).catch(() => []);
    await eventually(async () => (await quarantined()).length > 0, 'the files set aside');
    expect(await quarantined()).toEqual([`${spoolFileBase(id)}.json`]);
  });

  it('sets a result whose bytes changed on disk aside in quarantine/ and reports it failed', async () => {
    h = await startHarness({
      sim: { faults: { routes: { complete: { status: [{ code: 503, probability: 1 }] } } } },
    });
    const id = h.sim.enqueue({
      model: 'synthetic-image',
      task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
    });
    const worker = h.worker;
    await eventually(() => worker.observers.snapshot().spool.count === 1, 'the result spooled');
    await worker.stop({ graceMs: 2_000 });
    const spoolDir = h.store.current().spool_dir!;
    const dataFile = path.join(spoolDir, `${spoolFileBase(id)}.data`);
    const size = (await readFile(dataFile)).length;
    await writeFile(dataFile, Buffer.alloc(size, 7)); // same size, other bytes
    h.sim.setFaults(undefined);
    await h.restart();
    const sim = h.sim;
    await eventually(
      () => (sim.job(id)?.history ?? []).some((e) => e.kind === 'fail-reported'),
      'the damaged result reported failed',
    );
    // The files move once the studio has answered the report.
    const quarantined = () => readdir(path.join(spoolDir, QUARANTINE_DIR)).catch(() => []);
    await eventually(async () => (await quarantined()).length === 2, 'the files set aside');
    expect((await quarantined()).sort()).toEqual(
      [`${spoolFileBase(id)}.data`, `${spoolFileBase(id)}.json`].sort(),
    );
  });

  it('checks the disk before every claim: a disk that fills between two claims costs no job', async () => {
    h = await startHarness({ start: false });
    const ctx = h.worker.context;
    await ctx.spool.init();
    expect(await claimTick(ctx)).toEqual({ kind: 'no-jobs' });
    // The disk fills up a moment later: writing to /dev/full fails with ENOSPC.
    await symlink('/dev/full', path.join(ctx.spool.dir, '.write-probe'));
    const id = h.sim.enqueue(llmJob);
    expect(await claimTick(ctx)).toEqual({ kind: 'skipped', reason: 'spool' });
    expect(ctx.observers.snapshot().pausedReason).toContain('ENOSPC');
    expect(claims(h)).toBe(1);
    expect(h.sim.job(id)?.state).toBe('queued');
  });

  it('leaves no temp or probe file behind when every write fails (ulimit -f 0)', async () => {
    const dir = path.join(await tempDir(), 'spool');
    await createSpool(dir).init();
    const spoolModule = pathToFileURL(
      fileURLToPath(new URL('../../dist/core/runtime/spool.js', import.meta.url)),
    ).href;
    const script = `
      const { createSpool } = await import(${JSON.stringify(spoolModule)});
      const spool = createSpool(${JSON.stringify(dir)});
      const problem = await spool.problem(0);
      const put = await spool
        .put({ jobId: 'j', kind: 'image', model: 'm', prompt: '', startedAt: '', finishedAt: '',
               result: { type: 'bytes', ext: 'png', data: new Uint8Array(64) } })
        .then(() => 'kept', (e) => e.code);
      console.log(JSON.stringify({ problem, put }));`;
    // real time: a real child process, so a file-size limit of 0 makes every write fail (EFBIG)
    // after the file was created, as a full disk does; SIGXFSZ is ignored so writes return errors.
    const child = spawn(
      'bash',
      [
        '-c',
        'ulimit -f 0; trap "" XFSZ; exec "$0" --input-type=module -e "$1"',
        process.execPath,
        script,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const result = JSON.parse(out) as { problem: string; put: string };
    expect(result.problem).toMatch(/^cannot write results to .* \(EFBIG\)/);
    expect(result.put).toBe('EFBIG');
    expect(await readdir(dir)).toEqual([SPOOL_MARKER]);
  });
});
