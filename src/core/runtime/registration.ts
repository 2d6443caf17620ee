// Registration: trading the bootstrap token for a worker id and auth token (stored in the config),
// once on demand (register) or in the background until it works (ensureRegistered, which waits
// out a studio that is not reachable yet and gives up only on a stop or a refusal).
import type { ConfigStore } from '../config/store.js';
import type { WorkerConfig } from '../config/types.js';
import type { Credentials } from '../studio/api.js';
import { StudioError } from '../studio/errors.js';
import { clampThresholdOnFirstLaunch } from './admission.js';
import type { TickContext } from './context.js';
import { credentialsOf } from './context.js';
import { currentCapabilities } from './heartbeat.js';
import { retry, studioRetryPolicy } from './retry.js';
import { noteStudioError, noteStudioSuccess } from './studio-state.js';

export interface RegisterOptions {
  bootstrapToken?: string;
  /** Register as a new worker even when the config has a worker_id. */
  reset?: boolean;
}

export interface RegistrationDeps {
  store: ConfigStore;
  ctx: TickContext;
  /** Shows a config changed here before the store is watched (the first-launch threshold). */
  showConfig: (config: WorkerConfig) => void;
  /** Ends the studio calls in flight (a register call waiting when a stop comes). */
  cutStudioCalls: () => void;
}

export interface Registration {
  register(opts?: RegisterOptions): Promise<Credentials>;
  ensureRegistered(signal: AbortSignal): Promise<Credentials | null>;
}

export function createRegistration(deps: RegistrationDeps): Registration {
  const { store, ctx } = deps;
  const { observers, log } = ctx;

  const register = async (opts: RegisterOptions = {}): Promise<Credentials> => {
    const config = store.current();
    const bootstrapToken = opts.bootstrapToken ?? config.bootstrap_token;
    const workerId = opts.reset ? undefined : (config.worker_id ?? undefined);
    observers.set({ registration: { kind: 'registering' } });
    try {
      const firstLaunch = await clampThresholdOnFirstLaunch({
        configStore: store,
        host: ctx.host,
        log,
      });
      // Before start() the config is not watched yet: show the lowered threshold now.
      if (firstLaunch.kind === 'clamp') deps.showConfig(store.current());
      const capabilities = await currentCapabilities(ctx);
      const creds = await ctx.studio().register({
        bootstrapToken,
        capabilities,
        ...(workerId ? { workerId } : {}),
      });
      await store.update((c) => ({ ...c, worker_id: creds.workerId, auth_token: creds.authToken }));
      noteStudioSuccess(ctx);
      observers.set({
        registration: { kind: 'registered', workerId: creds.workerId },
        lastError: null,
      });
      log.info('register', `registered as worker ${creds.workerId}`);
      return creds;
    } catch (error) {
      observers.set({ registration: { kind: 'unregistered' } });
      if (error instanceof StudioError && error.credentialsRejected) {
        throw new StudioError({
          op: 'register',
          kind: error.kind,
          status: error.status,
          message: `${error.message} — the studio refused the bootstrap token; check bootstrap_token (or pass --bootstrap-token)`,
        });
      }
      throw error;
    }
  };

  const ensureRegistered = async (signal: AbortSignal): Promise<Credentials | null> => {
    // A stop while a register call waits on the studio ends that call too.
    signal.addEventListener('abort', deps.cutStudioCalls, { once: true });
    try {
      if (signal.aborted) return null;
      // Until it works or the stop: registering is what the worker is waiting for.
      const policy = {
        ...studioRetryPolicy(ctx, Infinity, (error) => noteStudioError(ctx, error)),
        retryable: (error: unknown) => error instanceof StudioError && error.transient,
      };
      try {
        return await retry(
          async () => credentialsOf(store.current()) ?? (await register()),
          policy,
          signal,
        );
      } catch (error) {
        if (!signal.aborted || !policy.retryable(error)) throw error;
        return null;
      }
    } finally {
      signal.removeEventListener('abort', deps.cutStudioCalls);
    }
  };

  return { register, ensureRegistered };
}
