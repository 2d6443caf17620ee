// The log page's filter: a level and a text that must appear in the category, the message or
// the job id (case-insensitive).
import type { LogEntry, LogLevel } from '../../src/shared/snapshot';

export type LevelFilter = 'all' | LogLevel;

export function filterLogs(entries: readonly LogEntry[], level: LevelFilter, text: string) {
  const needle = text.trim().toLowerCase();
  return entries.filter(
    (e) =>
      (level === 'all' || e.level === level) &&
      (needle === '' ||
        e.category.toLowerCase().includes(needle) ||
        e.message.toLowerCase().includes(needle) ||
        (e.jobId ?? '').toLowerCase().includes(needle)),
  );
}
