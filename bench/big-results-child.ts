// The worker side of measurement 3, in a process of its own: claims the job (so the studio
// accepts the result), then delivers the spooled entry with the runtime's deliverSpooled while
// watching its own resident memory.
import { setTimeout as delay } from 'node:timers/promises';
import { openConfigStore } from '../core/config/store.js';
import { credentialsOf } from '../core/runtime/context.js';
import { deliverSpooled } from '../core/runtime/upload.js';
import { peakRssBytes, resetPeakRss, rssBytes } from './proc.js';
import { childMain, collectGarbage, isEntryPoint } from './processes.js';
import { benchEngine, buildWorker } from './rig.js';

export const BIG_MODEL = 'bench-video';

export interface UploadInput {
  configPath: string;
  jobId: string;
}

export interface UploadOutput {
  delivery: string;
  baselineRss: number;
  peakRss: number;
  sampledPeakRss: number;
  /** Whether the peak comes from the kernel's VmHWM (reset first) or from sampling alone. */
  peakFromKernel: boolean;
  durationMs: number;
}

async function upload({ configPath, jobId }: UploadInput): Promise<UploadOutput> {
  const store = await openConfigStore(configPath);
  const worker = buildWorker({ store, engine: benchEngine({ model: BIG_MODEL, kind: 'video' }) });
  const creds = credentialsOf(store.current());
  if (!creds) throw new Error(`${configPath} holds no credentials`);
  const claimed = await worker.context.studio().claim(creds);
  if (claimed.kind !== 'job' || claimed.job.jobId !== jobId)
    throw new Error(`expected to claim ${jobId}, got ${JSON.stringify(claimed)}`);
  const entry = (await worker.context.spool.list()).find((e) => e.jobId === jobId);
  if (!entry) throw new Error(`no spool entry for ${jobId}`);

  const deliver = await watchMemory(() => deliverSpooled(worker.context, creds, entry));
  return {
    delivery: deliver.result.kind,
    baselineRss: deliver.baselineRss,
    peakRss: deliver.peakRss,
    sampledPeakRss: deliver.sampledPeakRss,
    peakFromKernel: deliver.peakFromKernel,
    durationMs: deliver.durationMs,
  };
}

/** Runs `work` from a collected heap, watching how far resident memory rises. */
async function watchMemory<T>(work: () => Promise<T>) {
  collectGarbage();
  await delay(50);
  collectGarbage();
  const baselineRss = rssBytes();
  const peakFromKernel = resetPeakRss();
  let sampledPeakRss = baselineRss;
  const sampler = setInterval(() => (sampledPeakRss = Math.max(sampledPeakRss, rssBytes())), 5);
  const started = performance.now();
  const result = await work();
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  sampledPeakRss = Math.max(sampledPeakRss, rssBytes());
  const peakRss = peakFromKernel ? Math.max(peakRssBytes(), sampledPeakRss) : sampledPeakRss;
  return { result, baselineRss, peakRss, sampledPeakRss, peakFromKernel, durationMs };
}

// big-results.ts imports the types and the model name; only the child process runs the upload.
if (isEntryPoint(import.meta.url)) await childMain(upload);
