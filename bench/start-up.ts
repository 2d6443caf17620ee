// Measurement 6, start-up: from spawning `studio-worker run` (already registered) to the
// studio's answer to its first heartbeat. Node's own start-up is shown beside it.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { startStudioSim } from '../studio-sim/index.js';
import type { Measurement } from './measurement.js';
import { within } from './measurement.js';
import { spawnCli, stopProcess } from './processes.js';
import { metric } from './results.js';
import { ackedHeartbeat, benchTempDir, registerWorker, writeBenchConfig } from './rig.js';
import { median, summary } from './stats.js';

/** Spawn to exit of `node -e 0`, in ms. */
async function bareNode(): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
      .on('exit', () => resolve())
      .on('error', reject),
  );
  return performance.now() - t0;
}

export const startUp: Measurement = {
  id: 'start-up',
  title: '6. Start-up (real CLI process to first acknowledged heartbeat)',
  async run({ quick, progress }) {
    const runs = quick ? 2 : 10;
    const sim = await startStudioSim();
    const dir = await benchTempDir();
    try {
      const store = await writeBenchConfig(dir, sim.url);
      const { workerId } = await registerWorker(store);
      const node: number[] = [];
      for (let i = 0; i < 5; i += 1) node.push(await bareNode());
      progress(`${runs} starts (after one to warm the file cache)`);
      const times: number[] = [];
      for (let i = 0; i <= runs; i += 1) {
        const afterSeq = sim.requests().length;
        const t0 = performance.now();
        const proc = spawnCli(['--config', store.path, 'run']);
        try {
          const acked = await within(
            ackedHeartbeat(sim, workerId, afterSeq),
            15_000,
            'the first heartbeat',
          ).catch((error: Error) => {
            throw new Error(`${error.message}\n${proc.tail()}`);
          });
          if (i > 0) times.push(acked - t0);
        } finally {
          await stopProcess(proc);
        }
      }
      return {
        metrics: [
          metric('spawn → first heartbeat acked, median', median(times), 'ms', {
            op: '<=',
            value: 300,
          }),
          metric('spawn → first heartbeat acked, slowest', Math.max(...times), 'ms'),
          metric('node -e 0, spawn → exit, median', median(node), 'ms'),
          metric('start-up ÷ bare Node start', median(times) / median(node), '×'),
        ],
        details: { runs: times, summaryMs: summary(times), bareNodeMs: node },
      };
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
