// Status: what the worker is doing (badge + the one action that fits), where it reports to, its
// GPUs and threshold, the running job and today's counters.
import { CommandButton } from '../components/CommandButton';
import { JobCard } from '../components/JobCard';
import { StateBadge } from '../components/StateBadge';
import { VramBar } from '../components/VramBar';
import { badgeFor, heartbeatView } from '../status-badge';
import { useSnapshot } from '../store';
import { clockTime, formatBytes, formatGb } from '../units';
import { useNow } from '../use-now';

const HEARTBEAT_SYMBOL = { ok: '✓', stale: '!', failed: '✕', none: '–' } as const;

export function StatusPage() {
  const s = useSnapshot();
  const now = useNow();
  const badge = badgeFor(s);
  const heartbeat = heartbeatView(s.lastHeartbeat, now);
  const workerId =
    s.registration.kind === 'registered' || s.registration.kind === 'credentials-rejected'
      ? (s.registration.workerId ?? null)
      : null;
  return (
    <>
      <h1 tabIndex={-1}>Status</h1>
      <section className="card state-card" aria-label="Worker state">
        <StateBadge badge={badge} />
        {badge.action ? (
          <CommandButton
            key={badge.action.label}
            label={badge.action.label}
            command={badge.action.command}
            primary
            quietSuccess
          />
        ) : null}
        {s.lastError ? (
          <p className="last-error">
            <strong>Last error{s.lastErrorAt ? ` (${clockTime(s.lastErrorAt)})` : ''}:</strong>{' '}
            {s.lastError}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="studio-heading">
        <h2 id="studio-heading">Studio</h2>
        <dl className="facts">
          <dt>Studio URL</dt>
          <dd className="break">{s.apiBaseUrl}</dd>
          <dt>Worker id</dt>
          <dd>{workerId ?? <span className="muted">not registered</span>}</dd>
          <dt>Engine</dt>
          <dd data-testid="engine">
            {s.engine}
            {s.engineHealth?.backend ? (
              <span className="muted">
                {' '}
                on {s.engineHealth.backend}
                {(s.engineHealth.devices ?? []).length > 0
                  ? ` (${(s.engineHealth.devices ?? []).map((d) => d.name).join(', ')})`
                  : ''}
              </span>
            ) : null}
          </dd>
          <dt>Last heartbeat</dt>
          <dd className={`heartbeat heartbeat-${heartbeat.tone}`} data-testid="heartbeat">
            <span aria-hidden="true">{HEARTBEAT_SYMBOL[heartbeat.tone]} </span>
            {heartbeat.text}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="gpu-heading">
        <h2 id="gpu-heading">GPU</h2>
        {s.gpus.length === 0 ? (
          <p>
            No GPU detected.{' '}
            <span className="muted">
              VRAM threshold {formatGb(s.vramThresholdGb)}
              {s.vramTotalGb > 0 ? ` of ${formatGb(s.vramTotalGb)} detected` : ''}.
            </span>
          </p>
        ) : (
          s.gpus.map((gpu) => <VramBar key={gpu.index} gpu={gpu} thresholdGb={s.vramThresholdGb} />)
        )}
      </section>

      <JobCard job={s.currentJob} />

      <section className="card" aria-labelledby="today-heading">
        <h2 id="today-heading">Today</h2>
        <dl className="counters">
          <div>
            <dt>Jobs done</dt>
            <dd data-testid="count-completed">{s.counters.completed}</dd>
          </div>
          <div>
            <dt>Jobs failed</dt>
            <dd data-testid="count-failed">{s.counters.failed}</dd>
          </div>
          <div>
            <dt>Results waiting to upload</dt>
            <dd data-testid="count-spooled">
              {s.spool.count}
              {s.spool.count > 0 ? (
                <span className="muted"> ({formatBytes(s.spool.bytes)})</span>
              ) : null}
            </dd>
          </div>
        </dl>
      </section>
    </>
  );
}
