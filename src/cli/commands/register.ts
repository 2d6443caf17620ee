// `studio-worker register`: trade the bootstrap token for a worker id and auth token, stored in
// the config file (never printed).
import { openCliConfig } from '../open-config.js';
import { redactUrlCredentials } from '../../core/secrets/redact.js';
import type { Command } from '../command.js';
import { composeWorker } from '../compose.js';

export const registerCommand: Command = {
  name: 'register',
  usage: 'register [--bootstrap-token <token>] [--api-base-url <url>] [--reset]',
  summary: 'register this machine with the studio (--reset forgets the current worker id first)',
  options: {
    'bootstrap-token': { type: 'string' },
    'api-base-url': { type: 'string' },
    reset: { type: 'boolean' },
  },
  async run(ctx) {
    const store = await openCliConfig(ctx);
    const url = ctx.values['api-base-url'];
    const token = ctx.values['bootstrap-token'];
    if (typeof url === 'string' || typeof token === 'string') {
      await store.update((c) => ({
        ...c,
        ...(typeof url === 'string' ? { api_base_url: url } : {}),
        ...(typeof token === 'string' ? { bootstrap_token: token } : {}),
      }));
    }
    if (ctx.values.reset) await store.update((c) => ({ ...c, worker_id: null, auth_token: null }));
    const worker = composeWorker({ store, logSinks: [] });
    const creds = await worker.register();
    ctx.io.stdout(
      `registered with ${redactUrlCredentials(store.current().api_base_url)} as worker ${creds.workerId}\n`,
    );
    return 0;
  },
};
