// Commands that change or show the config file: enable, disable, set-threshold, config.
// A running worker watches the file and applies the change on its next tick.
import { openCliConfig } from '../open-config.js';
import { redactConfig } from '../../core/config/redact.js';
import { serializeConfig } from '../../core/config/toml.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';

function toggle(name: 'enable' | 'disable', enabled: boolean): Command {
  return {
    name,
    usage: name,
    summary: enabled
      ? 'let the worker claim jobs'
      : 'stop claiming new jobs (a running job finishes)',
    async run(ctx) {
      const store = await openCliConfig(ctx);
      await store.update((c) => ({ ...c, auto_enabled: enabled }));
      ctx.io.stdout(`claiming ${enabled ? 'enabled' : 'disabled'} (${store.path})\n`);
      return 0;
    },
  };
}

export const enableCommand = toggle('enable', true);
export const disableCommand = toggle('disable', false);

export const setThresholdCommand: Command = {
  name: 'set-threshold',
  usage: 'set-threshold <gb>',
  summary: 'set the largest per-job VRAM estimate (GB) this worker accepts',
  positionals: [1, 1],
  async run(ctx) {
    const raw = ctx.positionals[0] ?? '';
    const gb = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(gb)) {
      throw new UsageError(`set-threshold needs a number of GB (got ${JSON.stringify(raw)})`);
    }
    const store = await openCliConfig(ctx);
    await store.update((c) => ({ ...c, vram_threshold_gb: gb }));
    ctx.io.stdout(`vram threshold set to ${gb} GB (${store.path})\n`);
    return 0;
  },
};

export const configCommand: Command = {
  name: 'config',
  usage: 'config',
  summary: 'print the config file path and its settings (secrets shown as <redacted>)',
  async run(ctx) {
    const store = await openCliConfig(ctx);
    ctx.io.stdout(`# ${store.path}\n${serializeConfig(redactConfig(store.current()), {})}`);
    return 0;
  },
};
