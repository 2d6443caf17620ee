// One log entry on one line: local time, level, category, message, job id.
import type { LogEntry } from '../../../src/shared/snapshot';
import { clockTimeSeconds } from '../units';

export function LogLine({ entry, showJob = true }: { entry: LogEntry; showJob?: boolean }) {
  return (
    <span className={`log-line log-${entry.level}`} title={entry.ts}>
      <span className="log-time">{clockTimeSeconds(entry.ts)}</span>{' '}
      <span className="log-level">{entry.level}</span>{' '}
      <span className="log-category">[{entry.category}]</span> {entry.message}
      {showJob && entry.jobId ? <span className="log-job"> (job {entry.jobId})</span> : null}
    </span>
  );
}
