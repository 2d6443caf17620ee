// `studio-worker run`: register if needed (retrying while the studio is unreachable), then run
// the loops until SIGINT/SIGTERM; the first signal stops gracefully, a second one at once.
import { openConfigStore } from '../../core/config/store.js';
import type { Command } from '../command.js';
import { composeWorker } from '../compose.js';
import { consoleSink } from '../log-output.js';
import { publishStatus } from '../status-file.js';

export const runCommand: Command = {
  name: 'run',
  usage: 'run',
  summary:
    'run the worker: register if needed, then heartbeat, claim jobs and ship logs until stopped',
  async run(ctx) {
    const store = await openConfigStore(ctx.configPath);
    const worker = composeWorker({ store, logSinks: [consoleSink(ctx.logFormat, ctx.io.stdout)] });
    const creds = await worker.ensureRegistered(ctx.stopSignal);
    if (!creds) return 0; // stopped while waiting for the studio
    await worker.start();
    const stopPublishing = publishStatus(store.path, worker.observers);
    await new Promise<void>((resolve) =>
      ctx.stopSignal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const forced = new Promise<'forced'>((resolve) =>
      ctx.forceStopSignal.addEventListener('abort', () => resolve('forced'), { once: true }),
    );
    const result = await Promise.race([worker.stop().then(() => 'stopped' as const), forced]);
    await stopPublishing();
    if (result === 'forced') {
      ctx.io.stderr(
        'studio-worker: stopped at once (second signal); finished results stay in the spool\n',
      );
      return 1;
    }
    return 0;
  },
};
