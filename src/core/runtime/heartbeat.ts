// heartbeatTick: tell the studio we are alive and what we can do. Never throws.
import type { HeartbeatOutcome } from '../../shared/snapshot.js';
import { StudioError } from '../studio/errors.js';
import { admissionFor } from './admission.js';
import { buildCapabilities } from './capabilities.js';
import type { TickContext } from './context.js';
import { credentialsOf } from './context.js';
import { isoTime } from './clock.js';
import { noteStudioError, noteStudioSuccess } from './studio-state.js';
import { errorMessage } from '../errors/message.js';

export type HeartbeatDeps = Pick<
  TickContext,
  'config' | 'studio' | 'engine' | 'host' | 'clock' | 'observers' | 'log' | 'agentVersion' | 'flags'
>;

/** Whether the claim loop would claim now, as far as the user's settings and the lifecycle go. */
export function claimingAllowed(deps: Pick<TickContext, 'config' | 'flags'>): boolean {
  const { flags } = deps;
  return deps.config().auto_enabled && !flags.pausedReason && !flags.draining && !flags.stopping;
}

export async function currentCapabilities(
  deps: Omit<HeartbeatDeps, 'studio' | 'clock' | 'observers' | 'log'>,
) {
  const config = deps.config();
  // Probe first: a probe may hold claiming (GPU busy), which autoEnabled must reflect.
  const host = await deps.host.probe();
  return buildCapabilities({
    config,
    engine: deps.engine.capabilities(),
    host,
    agentVersion: deps.agentVersion,
    autoEnabled: claimingAllowed(deps),
    vramThresholdGb: admissionFor(config, host).thresholdGb,
  });
}

export async function heartbeatTick(deps: HeartbeatDeps): Promise<HeartbeatOutcome> {
  const attemptedAt = isoTime(deps.clock.now());
  const outcome = await attempt(deps);
  deps.observers.heartbeat({ attemptedAt, outcome });
  return outcome;
}

async function attempt(deps: HeartbeatDeps): Promise<HeartbeatOutcome> {
  const creds = credentialsOf(deps.config());
  if (!creds) return { kind: 'skipped', reason: 'unregistered' };
  try {
    const capabilities = await currentCapabilities(deps);
    const currentJobId = deps.observers.currentJob?.id;
    await deps
      .studio()
      .heartbeat(creds, currentJobId ? { capabilities, currentJobId } : { capabilities });
    noteStudioSuccess(deps);
    return { kind: 'ok' };
  } catch (error) {
    noteStudioError(deps, error);
    const studioError = error instanceof StudioError ? error : undefined;
    return {
      kind: 'error',
      message: deps.log.redact(errorMessage(error)),
      transient: studioError?.transient ?? false,
      credentialsRejected: studioError?.credentialsRejected ?? false,
    };
  }
}
