// `studio-worker status`: what the worker is doing — from the running worker's status file when
// one runs, else from the config and a GPU probe made there and then.
import { openCliConfig } from '../open-config.js';
import { formatGpuLines } from '../../core/host/describe.js';
import { createHostProbe } from '../../core/host/gpu-probe.js';
import type { HostInfo } from '../../core/host/host.js';
import { formatStatus } from '../../core/runtime/format.js';
import { configFields } from '../../core/runtime/config-view.js';
import { WorkerObservers, localDay } from '../../core/runtime/observers.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { healthOf, NOT_RUNNING_HEALTH } from '../../shared/health.js';
import type { Command } from '../command.js';
import { engineFor } from '../../core/runtime/standard-ports.js';
import { isRunning, readStatusFile, statusFolderFor } from '../../core/runtime/status-file.js';
import { appVersion } from '../version.js';
import type { WorkerConfig } from '../../core/config/types.js';

/** The snapshot a worker that is not running would start from. */
function offlineSnapshot(config: WorkerConfig, configPath: string, host: HostInfo): WorkerSnapshot {
  let engine = config.engine;
  try {
    engine = engineFor(config, configPath).name;
  } catch {
    // An unknown engine is reported by `run`; status still shows the rest.
  }
  const observers = new WorkerObservers(
    { agentVersion: appVersion(), configPath, engine, ...configFields(config) },
    () => localDay(Date.now()),
  );
  observers.set({ gpus: host.gpus, vramTotalGb: host.vramTotalGb });
  return observers.snapshot();
}

export const statusCommand: Command = {
  name: 'status',
  usage: 'status [--json]',
  summary: 'show what the worker is doing (--json for machines)',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const store = await openCliConfig(ctx);
    const file = await readStatusFile(statusFolderFor(store.current(), store.path));
    const running = file !== null && isRunning(file);
    let snapshot: WorkerSnapshot;
    let gpuNotes: string[] = [];
    if (running) snapshot = file.snapshot;
    else {
      // No worker measures the GPUs now, so status does.
      const host = await createHostProbe().probe();
      snapshot = offlineSnapshot(store.current(), store.path, host);
      gpuNotes = host.gpuNotes;
    }
    const health = running ? healthOf(snapshot) : NOT_RUNNING_HEALTH;
    if (ctx.values.json) {
      // The JSON keeps the full snapshot except the log ring, which `status` is not for.
      // `headline` is the observers' bookkeeping; `health` is what it means.
      const { logs: _logs, headline: _headline, ...rest } = snapshot;
      ctx.io.stdout(
        JSON.stringify({ running, pid: running ? file.pid : null, health, ...rest }, null, 2) +
          '\n',
      );
      return 0;
    }
    ctx.io.stdout(
      [
        `worker:         ${running ? `running (pid ${file.pid})` : 'not running'}`,
        formatStatus(snapshot, Date.now(), health),
        ...formatGpuLines(snapshot.gpus, gpuNotes),
      ].join('\n') + '\n',
    );
    return 0;
  },
};
