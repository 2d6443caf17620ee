// `studio-worker studio-sim`: the local studio on its own, for trying a worker by hand.
import { startStudioSim } from '../../studio-sim/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';
import { whenAborted } from '../when-aborted.js';

export const studioSimCommand: Command = {
  name: 'studio-sim',
  usage: 'studio-sim [--port <n>]',
  summary: 'run the local studio (loopback only) until Ctrl+C',
  options: { port: { type: 'string' } },
  async run(ctx) {
    const port = Number(ctx.values.port ?? 9790);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(
        `--port must be a port number from 0 to 65535 (got ${String(ctx.values.port)})`,
      );
    }
    const sim = await startStudioSim({ port, log: (line) => ctx.io.stdout(`${line}\n`) });
    ctx.io.stdout(
      `local studio listening on ${sim.url} (status page ${sim.url}/; it accepts the default bootstrap token)\n`,
    );
    await whenAborted(ctx.stopSignal);
    await sim.close();
    return 0;
  },
};
