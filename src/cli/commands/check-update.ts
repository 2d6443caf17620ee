// `studio-worker check-update`: ask the release feed whether a newer version exists.
import { openCliConfig } from '../open-config.js';
import { formatCheckOutcome } from '../../core/runtime/format.js';
import { checkAndApply } from '../../core/runtime/auto-update.js';
import { configSecrets } from '../../core/config/redact.js';
import { redactSecrets } from '../../core/secrets/redact.js';
import type { Command } from '../command.js';
import { updateSourceFor } from '../compose.js';

export const checkUpdateCommand: Command = {
  name: 'check-update',
  usage: 'check-update',
  summary:
    'check the release feed for a newer version (installing is left to how this was installed)',
  async run(ctx) {
    const store = await openCliConfig(ctx);
    const source = updateSourceFor(store.current());
    const config = store.current();
    const decision = await checkAndApply(source, (text) =>
      redactSecrets(text, configSecrets(config)),
    );
    const line = formatCheckOutcome(decision);
    if (decision.kind === 'check-error') {
      ctx.io.stderr(`studio-worker: ${line}\n`);
      return 1;
    }
    ctx.io.stdout(`${line}\n`);
    return 0;
  },
};
