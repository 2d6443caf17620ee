// Text for people: the status summary, the result of an update check, the startup banner.
// All from snapshots and decisions, which never hold secrets.
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import type { WorkerConfig } from '../config/types.js';
import type { AutoUpdateDecision } from './auto-update.js';
import type { Logger } from './log.js';

/** One phrase for what the worker is doing, as the tray tooltip and the status page say it. */
export function describeState(s: WorkerSnapshot): string {
  if (s.stopping)
    return s.currentJob ? `stopping after the current ${s.currentJob.kind} job` : 'stopping';
  if (s.registration.kind === 'credentials-rejected')
    return `credentials rejected: ${s.registration.message}`;
  if (s.registration.kind !== 'registered') return 'not registered';
  if (s.connection.kind === 'offline') return `offline: ${s.connection.reason}`;
  if (s.currentJob)
    return `running ${s.currentJob.kind} job ${s.currentJob.id} (${s.currentJob.model})`;
  if (s.draining) return 'finishing up before an update';
  if (!s.enabled) return 'paused: disabled';
  if (s.pausedReason) return `paused: ${s.pausedReason}`;
  return 'idle, waiting for jobs';
}

export function formatDuration(ms: number): string {
  const secs = Math.max(0, Math.round(ms / 1000));
  if (secs < 60) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins}m ${String(secs % 60).padStart(2, '0')}s`;
  return `${Math.floor(mins / 60)}h ${mins % 60}m`;
}

export function formatStatus(s: WorkerSnapshot, now: number = Date.now()): string {
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
    `state:          ${describeState(s)}`,
    `studio:         ${s.apiBaseUrl}`,
    `worker id:      ${workerId}`,
    `claiming:       ${s.enabled ? 'enabled' : 'disabled'}`,
    `VRAM threshold: ${s.vramThresholdGb} GB (detected ${s.vramTotalGb} GB)`,
    `engine:         ${s.engine}`,
    `last heartbeat: ${heartbeat}`,
    `jobs today:     ${s.counters.completed} completed, ${s.counters.failed} failed`,
    `spooled:        ${s.spool.count} result(s), ${s.spool.bytes} bytes waiting`,
    `update:         ${describeUpdate(s.update)}`,
    `config:         ${s.configPath}`,
    `version:        ${s.agentVersion}`,
  ];
  if (s.lastError) lines.push(`last error:     ${s.lastError}`);
  return lines.join('\n');
}

function describeUpdate(u: WorkerSnapshot['update']): string {
  switch (u.kind) {
    case 'idle':
      return 'not checked yet';
    case 'disabled':
      return 'auto-update disabled';
    case 'up-to-date':
      return 'up to date';
    case 'available':
      return `${u.version} available${u.url ? ` (${u.url})` : ''}`;
    case 'downloading':
      return `downloading ${u.version}`;
    case 'ready':
      return `update ready (${u.version})`;
    case 'error':
      return `check failed: ${u.message}`;
  }
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

/** The first lines a worker logs: where its settings come from. Never a secret. */
export function logStartupBanner(
  log: Logger,
  info: { configPath: string; config: WorkerConfig; agentVersion: string },
): void {
  const c = info.config;
  log.info('startup', `Studio Worker ${info.agentVersion}`);
  log.info('startup', `config: ${info.configPath}`);
  log.info('startup', `studio: ${c.api_base_url}`);
  log.info(
    'startup',
    `vram threshold: ${c.vram_threshold_gb} GB; claiming ${c.auto_enabled ? 'enabled' : 'disabled'}; auto-start ${c.auto_start ? 'on' : 'off'}; auto-update ${c.auto_update_enabled ? 'on' : 'off'}; engine ${c.engine}`,
  );
  log.info('startup', `worker id: ${c.worker_id ?? '(not registered yet)'}`);
}
