// autoUpdateTick: when enabled, due and idle, ask the UpdateSource for a newer release and let
// it prepare the install. Installing itself waits for the worker to drain (see worker.ts).
import type { UpdateCheck, UpdateSource } from '../update/source.js';
import { isoTime } from './clock.js';
import type { TickContext } from './context.js';
import { errorMessage } from '../errors/message.js';

export type AutoUpdateDecision =
  | { kind: 'disabled' }
  /** Checked less than auto_update_interval_secs ago. */
  | { kind: 'not-due' }
  | { kind: 'skipped-busy'; jobId: string }
  | { kind: 'up-to-date'; currentVersion: string }
  | { kind: 'check-error'; error: string }
  /** Downloaded and verified: the worker drains, then installs. */
  | { kind: 'updated'; version: string }
  /** A newer release exists, and this host leaves installing to whatever installed it. */
  | { kind: 'available'; version: string; url?: string }
  | { kind: 'update-error'; version: string; error: string };

export interface AutoUpdateDeps extends Pick<
  TickContext,
  'config' | 'clock' | 'observers' | 'log' | 'schedule'
> {
  source: UpdateSource;
  /** When the last check ran (ms), kept by the caller between ticks; null before the first. */
  lastCheckAt: number | null;
  /** Check now, whatever the interval says (a user's "check for updates"). */
  force?: boolean;
}

export async function autoUpdateTick(deps: AutoUpdateDeps): Promise<AutoUpdateDecision> {
  const now = deps.clock.now();
  if (!deps.config().auto_update_enabled && !deps.force) {
    deps.observers.set({ update: { kind: 'disabled' } });
    return { kind: 'disabled' };
  }
  const due =
    deps.lastCheckAt === null || now - deps.lastCheckAt >= deps.schedule().autoUpdateIntervalMs;
  if (!due && !deps.force) return { kind: 'not-due' };
  const job = deps.observers.currentJob;
  if (job) return { kind: 'skipped-busy', jobId: job.id };
  const decision = await checkAndApply(deps.source, deps.log.redact);
  deps.observers.set({ update: updateStateFor(decision, isoTime(now), deps.observers.update) });
  logDecision(deps, decision);
  return decision;
}

/** Asks the source for a newer release and lets it prepare the install (or just report it). */
export async function checkAndApply(
  source: UpdateSource,
  redact: (text: string) => string,
): Promise<AutoUpdateDecision> {
  let check: UpdateCheck;
  try {
    check = await source.check();
  } catch (error) {
    return { kind: 'check-error', error: redact(errorMessage(error)) };
  }
  if (check.kind === 'up-to-date')
    return { kind: 'up-to-date', currentVersion: check.currentVersion };
  try {
    const applied = await source.apply(check);
    return applied.kind === 'ready'
      ? { kind: 'updated', version: applied.version }
      : {
          kind: 'available',
          version: applied.version,
          ...(applied.url ? { url: applied.url } : {}),
        };
  } catch (error) {
    return { kind: 'update-error', version: check.version, error: redact(errorMessage(error)) };
  }
}

function updateStateFor(
  decision: AutoUpdateDecision,
  checkedAt: string,
  previous: ReturnType<AutoUpdateDeps['observers']['snapshot']>['update'],
) {
  switch (decision.kind) {
    case 'up-to-date':
      return { kind: 'up-to-date', checkedAt } as const;
    case 'check-error':
      return { kind: 'error', message: decision.error, checkedAt } as const;
    case 'update-error':
      return {
        kind: 'error',
        message: `update ${decision.version}: ${decision.error}`,
        checkedAt,
      } as const;
    case 'updated':
      return { kind: 'ready', version: decision.version } as const;
    case 'available':
      return {
        kind: 'available',
        version: decision.version,
        checkedAt,
        ...(decision.url ? { url: decision.url } : {}),
      } as const;
    default:
      return previous;
  }
}

function logDecision(deps: AutoUpdateDeps, decision: AutoUpdateDecision): void {
  switch (decision.kind) {
    case 'up-to-date':
      deps.log.info('update', `up to date (${decision.currentVersion})`);
      break;
    case 'check-error':
      deps.log.warn('update', `update check failed: ${decision.error}`);
      break;
    case 'updated':
      deps.log.info(
        'update',
        `update ${decision.version} downloaded and verified; installing once idle`,
      );
      break;
    case 'available':
      deps.log.info(
        'update',
        `a newer release is available: ${decision.version}${decision.url ? ` (${decision.url})` : ''} — install it the way this worker was installed`,
      );
      break;
    case 'update-error':
      deps.log.error('update', `update ${decision.version} failed: ${decision.error}`);
      break;
    default:
      break;
  }
}
