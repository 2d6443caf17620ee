// The config every CLI command works with: config.toml layered with the STUDIO_WORKER_* variables
// and the state folder (see core/config/layered.ts), so a fleet worker needs no file at all.
import type { ConfigStore } from '../core/config/store.js';
import { openLayeredConfigStore } from '../core/config/layered.js';
import type { CommandContext } from './command.js';

export function openCliConfig(
  ctx: Pick<CommandContext, 'configPath' | 'io'>,
): Promise<ConfigStore> {
  return openLayeredConfigStore(ctx.configPath, { env: ctx.io.env });
}
