// The worker's state as a badge: colour for a glance, a symbol and words for everyone.
import type { Badge, Tone } from '../status-badge';
import { clockTime } from '../units';

const SYMBOLS: Record<Tone, string> = {
  ok: '●',
  busy: '▶',
  paused: '❚❚',
  warn: '!',
  error: '✕',
};

export function StateBadge({ badge }: { badge: Badge }) {
  return (
    <div className="badge-line">
      <span className={`badge tone-${badge.tone}`} data-testid="state-badge">
        <span aria-hidden="true" className="badge-symbol">
          {SYMBOLS[badge.tone]}
        </span>
        {badge.label}
      </span>
      {badge.detail ? <span className="badge-detail">{badge.detail}</span> : null}
      {badge.since ? (
        <span className="badge-since">
          since <time dateTime={badge.since}>{clockTime(badge.since)}</time>
        </span>
      ) : null}
    </div>
  );
}
