// Text for people: the status summary, the result of an update check, the startup banner.
// All from snapshots and decisions, which never hold secrets.
import {
  describeProgress,
  describeUpdate,
  escapeControlChars,
  formatDuration,
} from '../../shared/format.js';
import type { EngineHealth, WorkerSnapshot } from '../../shared/snapshot.js';
import { workerStatusOf } from '../../shared/worker-status.js';
import { healthOf, type Health } from '../../shared/health.js';
import type { WorkerConfig } from '../config/types.js';
import type { AutoUpdateDecision } from './auto-update.js';
import type { Logger } from './log.js';
import { redactUrlCredentials } from '../secrets/redact.js';

export { formatDuration };

/** One phrase for what the worker is doing, as the tray tooltip and the status page say it. */
export function describeState(s: WorkerSnapshot): string {
  const status = workerStatusOf(s);
  switch (status.kind) {
    case 'stopping':
      return status.job ? `stopping after the current ${status.job.kind} job` : 'stopping';
    case 'credentials-rejected':
      return `credentials rejected: ${status.message}`;
    case 'unregistered':
      return 'not registered';
    case 'offline':
      return `offline: ${status.reason}`;
    case 'running':
      return `running ${status.job.kind} job ${status.job.id} (${status.job.model})${
        status.job.progress ? `, ${describeProgress(status.job.progress)}` : ''
      }`;
    case 'draining':
      return 'finishing up before an update';
    case 'disabled':
      return 'paused: disabled';
    case 'snoozed':
    case 'paused':
      return `paused: ${status.reason}`;
    case 'idle':
      // Some engine (a multi route) is down: its models are not advertised, say which and why.
      return s.engineHealth?.reachable === false
        ? `idle, waiting for jobs; not advertised while its engine does not answer: ${s.engineHealth.error ?? 'no answer'}`
        : 'idle, waiting for jobs';
  }
}

export function formatStatus(
  s: WorkerSnapshot,
  now: number = Date.now(),
  health: Health = healthOf(s),
): string {
  const workerId =
    s.registration.kind === 'registered' || s.registration.kind === 'credentials-rejected'
      ? (s.registration.workerId ?? '(none)')
      : '(not registered)';
  const heartbeat = s.lastHeartbeat
    ? `${formatDuration(now - Date.parse(s.lastHeartbeat.attemptedAt))} ago, ${
        s.lastHeartbeat.outcome.kind === 'error'
          ? `failed: ${s.lastHeartbeat.outcome.message}`
          : s.lastHeartbeat.outcome.kind
      }`
    : 'none yet';
  const lines = [
    `health:         ${health.level} — ${health.summary}${health.since ? ` (since ${health.since})` : ''}`,
    `state:          ${describeState(s)}`,
    `studio:         ${s.apiBaseUrl}`,
    `worker id:      ${workerId}`,
    `claiming:       ${s.enabled ? 'enabled' : 'disabled'}`,
    // The snapshot's threshold is the advertised one; admission may have lowered it.
    `VRAM threshold: ${s.vramThresholdGb} GB${s.vramThresholdGb < s.settings.vramThresholdGb ? ` (configured ${s.settings.vramThresholdGb} GB, lowered to fit free VRAM)` : ''} (detected ${s.vramTotalGb} GB)`,
    `engine:         ${s.engine}${engineDetail(s.engineHealth)}`,
    `last heartbeat: ${heartbeat}`,
    `jobs today:     ${s.counters.completed} completed, ${s.counters.failed} failed`,
    `spooled:        ${s.spool.count} result(s), ${s.spool.bytes} bytes waiting`,
    `update:         ${describeUpdate(s.update)}`,
    `config:         ${s.configPath}`,
    `version:        ${s.agentVersion}`,
  ];
  for (const device of s.engineHealth?.devices ?? []) {
    const vram =
      device.vramTotalGb === null
        ? ''
        : ` (${device.vramFreeGb ?? '?'} of ${device.vramTotalGb} GB free)`;
    lines.push(`engine device:  ${device.name}${vram}`);
  }
  if (s.lastError)
    lines.push(`last error:     ${s.lastError}${s.lastErrorAt ? ` (at ${s.lastErrorAt})` : ''}`);
  // A job id, model or studio error with a line break must not add a line of its own.
  return lines.map(escapeControlChars).join('\n');
}

/** " (CUDA: NVIDIA GeForce RTX 4090)": where an in-process engine computes, once it has said. */
function engineDetail(health: EngineHealth | null): string {
  if (!health?.backend) return '';
  const devices = health.devices ?? [];
  return ` (${health.backend}${devices.length > 0 ? `: ${devices.map((d) => d.name).join(', ')}` : ''})`;
}

export function formatCheckOutcome(d: AutoUpdateDecision): string {
  switch (d.kind) {
    case 'disabled':
      return 'auto-update is disabled (auto_update_enabled = false)';
    case 'not-due':
      return 'not due: checked recently';
    case 'skipped-busy':
      return `skipped: a job is running (${d.jobId})`;
    case 'up-to-date':
      return `up to date (${d.currentVersion})`;
    case 'check-error':
      return `update check failed: ${d.error}`;
    case 'updated':
      return `update ${d.version} downloaded; it installs once the worker is idle`;
    case 'available':
      return `a newer release is available: ${d.version}${d.url ? ` — ${d.url}` : ''}`;
    case 'update-error':
      return `update ${d.version} failed: ${d.error}`;
  }
}

/**
 * The first lines a worker logs: where its settings come from, and what opening the config file
 * found wrong with it (`warnings`, e.g. permissions it fixed). Never a secret.
 */
export function logStartupBanner(
  log: Logger,
  info: {
    configPath: string;
    config: WorkerConfig;
    agentVersion: string;
    warnings?: readonly string[];
  },
): void {
  const c = info.config;
  log.info('startup', `Studio Worker ${info.agentVersion}`);
  log.info('startup', `config: ${info.configPath}`);
  for (const warning of info.warnings ?? []) log.warn('config', warning);
  log.info('startup', `studio: ${redactUrlCredentials(c.api_base_url)}`);
  log.info(
    'startup',
    `vram threshold: ${c.vram_threshold_gb} GB; claiming ${c.auto_enabled ? 'enabled' : 'disabled'}; auto-start ${c.auto_start ? 'on' : 'off'}; auto-update ${c.auto_update_enabled ? 'on' : 'off'}; engine ${c.engine}`,
  );
  log.info('startup', `worker id: ${c.worker_id ?? '(not registered yet)'}`);
}
