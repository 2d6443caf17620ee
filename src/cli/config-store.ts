// Opens the config file for a one-shot CLI command and tells the user, on stderr, what opening it
// found and fixed (a config other users could read). `run` leaves that to the worker's start-up
// log, where it reaches the studio and the window too.
import { openConfigStore, type ConfigStore } from '../core/config/store.js';
import type { CommandContext } from './command.js';

export async function openCommandConfig(
  ctx: Pick<CommandContext, 'configPath' | 'io'>,
): Promise<ConfigStore> {
  const store = await openConfigStore(ctx.configPath);
  for (const warning of store.warnings) ctx.io.stderr(`studio-worker: warning: ${warning}\n`);
  return store;
}
