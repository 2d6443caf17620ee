// The config every CLI command works with: config.toml layered with the STUDIO_WORKER_* variables
// and the state folder (see core/config/layered.ts), so a fleet worker needs no file at all. What
// opening found and fixed (a config other users could read) goes to stderr; `run` leaves that to
// the worker's start-up log, where it reaches the studio and the window too.
import type { ConfigStore } from '../core/config/store.js';
import { openLayeredConfigStore } from '../core/config/layered.js';
import type { CommandContext } from './command.js';

export async function openCliConfig(
  ctx: Pick<CommandContext, 'configPath' | 'io'>,
  opts: { quiet?: boolean } = {},
): Promise<ConfigStore> {
  const store = await openLayeredConfigStore(ctx.configPath, { env: ctx.io.env });
  if (opts.quiet !== true) {
    for (const warning of store.warnings) ctx.io.stderr(`studio-worker: warning: ${warning}\n`);
  }
  return store;
}
