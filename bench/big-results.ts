// Measurement 3, big results: a 256 MB and a 1 GB result uploaded from the spool, in a worker
// process of its own (the studio, here in the bench process, does not count), measuring how far
// the uploader's resident memory rises above where it started.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SpoolEntry } from '../core/runtime/spool.js';
import { startStudioSim } from '../studio-sim/index.js';
import type { UploadInput, UploadOutput } from './big-results-child.js';
import { BIG_MODEL } from './big-results-child.js';
import type { Measurement } from './measurement.js';
import { MB } from './proc.js';
import { runChild } from './processes.js';
import { metric } from './results.js';
import { benchEngine, benchTempDir, registerWorker, writeBenchConfig } from './rig.js';

const BLOCK = MB;

/**
 * Leaves a committed spool entry of `bytes` random-looking bytes for `jobId`, laid out as
 * src/core/runtime/spool.ts keeps them: `<base64url id>.data`, then `<base64url id>.json` (the
 * commit marker) — as a run that finished a big job and was stopped before uploading would.
 */
async function placeSpoolEntry(spoolDir: string, jobId: string, bytes: number): Promise<void> {
  await mkdir(spoolDir, { recursive: true, mode: 0o700 });
  const base = path.join(spoolDir, Buffer.from(jobId, 'utf8').toString('base64url'));
  const block = randomBytes(BLOCK);
  const hash = createHash('sha256');
  const file = await open(`${base}.data`, 'w', 0o600);
  try {
    for (let written = 0; written < bytes; written += BLOCK) {
      // Vary each block so the content is not one repeated MiB.
      block.writeUInt32LE(written / BLOCK, 0);
      const chunk = block.subarray(0, Math.min(BLOCK, bytes - written));
      hash.update(chunk);
      await file.write(chunk);
    }
  } finally {
    await file.close();
  }
  const now = new Date().toISOString();
  const entry: SpoolEntry = {
    jobId,
    kind: 'video',
    model: BIG_MODEL,
    prompt: `a ${bytes / MB} MB result`,
    startedAt: now,
    finishedAt: now,
    result: { type: 'bytes', ext: 'mp4', size: bytes, sha256: hash.digest('hex') },
  };
  await writeFile(`${base}.json`, JSON.stringify(entry), { mode: 0o600 });
}

export const bigResults: Measurement = {
  id: 'big-results',
  title: '3. Big results uploaded from the spool',
  async run({ quick, progress }) {
    const sizesMb = quick ? [16, 64] : [256, 1024];
    const sim = await startStudioSim();
    const dir = await benchTempDir();
    try {
      const store = await writeBenchConfig(dir, sim.url);
      await registerWorker(store, benchEngine({ model: BIG_MODEL, kind: 'video' }));
      const spoolDir = store.current().spool_dir!;
      const runs: (UploadOutput & { sizeMb: number; studioBytes: number })[] = [];
      for (const sizeMb of sizesMb) {
        const jobId = `big-${sizeMb}m`;
        sim.enqueue({ jobId, model: BIG_MODEL, task: { kind: 'video', prompt: 'big' } });
        progress(`${sizeMb} MB: writing the spool entry`);
        await placeSpoolEntry(spoolDir, jobId, sizeMb * MB);
        progress(`${sizeMb} MB: uploading from a worker process`);
        const output = await runChild<UploadInput, UploadOutput>(
          'big-results-child.js',
          { configPath: store.path, jobId },
          120_000 + sizeMb * 200,
        );
        const result = sim.job(jobId)?.result;
        if (output.delivery !== 'delivered' || result?.kind !== 'file')
          throw new Error(`the ${sizeMb} MB upload ended as ${output.delivery}`);
        if (result.bytes !== sizeMb * MB)
          throw new Error(`the studio received ${result.bytes} of ${sizeMb * MB} bytes`);
        await rm(result.path, { force: true });
        runs.push({ ...output, sizeMb, studioBytes: result.bytes });
      }
      return {
        metrics: runs.flatMap((r) => [
          metric(
            `${r.sizeMb} MB result: peak RSS growth`,
            (r.peakRss - r.baselineRss) / MB,
            'MB',
            { op: '<=', value: 64 },
            `from ${(r.baselineRss / MB).toFixed(0)} MB`,
          ),
          metric(
            `${r.sizeMb} MB result: verify + upload speed`,
            r.sizeMb / (r.durationMs / 1000),
            'MB/s',
          ),
        ]),
        details: {
          runs: runs.map((r) => ({
            sizeMb: r.sizeMb,
            baselineRssMb: r.baselineRss / MB,
            peakRssMb: r.peakRss / MB,
            sampledPeakRssMb: r.sampledPeakRss / MB,
            peakFrom: r.peakFromKernel ? 'VmHWM after clear_refs' : 'sampled every 5 ms',
            durationMs: r.durationMs,
          })),
        },
      };
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
