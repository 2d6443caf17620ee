// Measurement 2, idle cost: the real `studio-worker run` process, registered and enabled, with an
// empty queue. Its CPU time and RSS come from /proc/<pid>; its requests are counted at the studio
// and compared with what the default schedule allows.
import { rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { startStudioSim, type RequestRecord } from '../studio-sim/index.js';
import type { Measurement } from './measurement.js';
import { within } from './measurement.js';
import { cpuTimeMs, MB, rssBytes } from './proc.js';
import { spawnCli, spawnIdleNode, stopProcess } from './processes.js';
import { metric } from './results.js';
import { ackedHeartbeat, benchTempDir, registerWorker, writeBenchConfig } from './rig.js';

interface RouteCount {
  actual: number;
  /** What the schedule implies for the window (interval ÷ window), for reading. */
  nominal: number;
  /** The most the schedule permits in the window (a tick on each edge included). */
  allowed: number;
}

export const idleCost: Measurement = {
  id: 'idle-cost',
  title: '2. Idle cost (real CLI process, empty queue)',
  async run({ quick, progress }) {
    const windowMs = quick ? 5_000 : 60_000;
    const settleMs = quick ? 1_000 : 3_000;
    const sim = await startStudioSim();
    const dir = await benchTempDir();
    try {
      const store = await writeBenchConfig(dir, sim.url);
      const { workerId } = await registerWorker(store);
      const config = store.current();
      const spawnedAt = Date.now();
      const proc = spawnCli(['--config', store.path, 'run']);
      const bare = spawnIdleNode();
      try {
        await within(ackedHeartbeat(sim, workerId, 0), 15_000, 'the first heartbeat').catch(
          (error: Error) => {
            throw new Error(`${error.message}\n${proc.tail()}`);
          },
        );
        // Start-up (module loading, JIT, the first update check) is measurement 6's business.
        await delay(settleMs);
        progress(`watching ${windowMs / 1000} s of idling`);
        const firstSeq = sim.requests().length;
        const cpuNow = () => ({
          worker: cpuTimeMs(proc.pid, { children: true }),
          own: cpuTimeMs(proc.pid),
          bare: cpuTimeMs(bare.pid),
        });
        const start = { wall: Date.now(), cpu: cpuNow() };
        const rss: number[] = [rssBytes(proc.pid)];
        const sampler = setInterval(() => rss.push(rssBytes(proc.pid)), 1_000);
        await delay(windowMs);
        clearInterval(sampler);
        const end = { wall: Date.now(), cpu: cpuNow() };
        rss.push(rssBytes(proc.pid));
        const inWindow = sim.requests().filter((r) => r.seq > firstSeq && r.at <= end.wall);
        const elapsed = end.wall - start.wall;

        const s = config.schedule;
        const linesShipped = sim
          .logs(workerId)
          .filter((l) => l.receivedAt > start.wall && l.receivedAt <= end.wall).length;
        const updateEvery = config.auto_update_interval_secs * 1000;
        // Update checks are due at start-up and every interval after it.
        const updatesDue =
          Math.floor((end.wall - spawnedAt) / updateEvery) -
          Math.floor((start.wall - spawnedAt) / updateEvery);
        const count = (route: RequestRecord['route'], everyMs: number | null, due?: number) => {
          const actual = inWindow.filter((r) => r.route === route).length;
          const nominal = everyMs === null ? 0 : elapsed / everyMs;
          return {
            actual,
            nominal: Number(nominal.toFixed(1)),
            allowed: due ?? (everyMs === null ? 0 : Math.floor(nominal) + 1),
          };
        };
        const routes: Record<string, RouteCount> = {
          heartbeat: count('heartbeat', s.heartbeat_secs * 1000),
          claim: count('claim', s.claim_idle_secs * 1000),
          // The shipper sends only when there is something to send.
          logs: count('logs', linesShipped > 0 ? s.log_flush_secs * 1000 : null),
          releases: count('releases', null, updatesDue),
        };
        const others = inWindow.filter((r) => !(r.route in routes)).length;
        const beyond =
          Object.values(routes).reduce((n, r) => n + Math.max(0, r.actual - r.allowed), 0) + others;
        const percent = (key: keyof typeof start.cpu) =>
          ((end.cpu[key] - start.cpu[key]) / elapsed) * 100;
        const peakRss = Math.max(...rss) / MB;
        const perMinute = (n: number) => (n * 60_000) / elapsed;
        return {
          metrics: [
            metric(
              'CPU, % of one core (tools it runs included)',
              percent('worker'),
              '%',
              { op: '<=', value: 0.5 },
              `${percent('own').toFixed(2)} % in the worker process itself`,
            ),
            metric('CPU of a bare Node process with a 1 s timer', percent('bare'), '%'),
            metric('RSS, highest sample', peakRss, 'MB', { op: '<=', value: 90 }),
            metric('requests beyond the schedule', beyond, 'requests', { op: '<=', value: 0 }),
            metric(
              'requests per minute, all loops',
              perMinute(inWindow.length),
              'req/min',
              undefined,
              Object.entries(routes)
                .map(([route, c]) => `${route} ${c.actual}/${c.allowed}`)
                .join(', '),
            ),
          ],
          details: {
            windowMs: elapsed,
            cpuMs: {
              withTools: end.cpu.worker - start.cpu.worker,
              workerProcess: end.cpu.own - start.cpu.own,
              bareNode: end.cpu.bare - start.cpu.bare,
            },
            rssMb: rss.map((b) => Number((b / MB).toFixed(1))),
            requests: routes,
            otherRequests: others,
            logLinesShipped: linesShipped,
            schedule: s,
          },
        };
      } finally {
        await Promise.all([stopProcess(proc), stopProcess(bare)]);
      }
    } finally {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
