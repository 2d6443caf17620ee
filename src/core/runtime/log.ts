// pushLog and the Logger: one place where a log line is made, redacted and fanned out to the
// observers' ring (UI), the shipping queue (studio) and the local sinks (stdout, files).
import type { LogEntry, LogLevel } from '../../shared/snapshot.js';
import type { Clock } from './clock.js';
import { isoTime } from './clock.js';
import { redactSecrets } from '../secrets/redact.js';

export type LogSink = (entry: LogEntry) => void;

export interface Logger {
  info(category: string, message: string, jobId?: string): void;
  warn(category: string, message: string, jobId?: string): void;
  error(category: string, message: string, jobId?: string): void;
  log(level: LogLevel, category: string, message: string, jobId?: string): void;
  /** Redacts known secrets from any text, for errors shown outside the log. */
  redact(text: string): string;
}

/** Builds a LogEntry in the wire shape (`jobId` omitted when none). */
export function makeLogEntry(
  ts: number,
  level: LogLevel,
  category: string,
  message: string,
  jobId?: string,
): LogEntry {
  const entry: LogEntry = { ts: isoTime(ts), level, category, message };
  if (jobId) entry.jobId = jobId;
  return entry;
}

/** Makes the entry (redacted) and hands it to every sink. */
export function pushLog(
  sinks: readonly LogSink[],
  secrets: () => readonly (string | null | undefined)[],
  clock: Clock,
  level: LogLevel,
  category: string,
  message: string,
  jobId?: string,
): LogEntry {
  const entry = makeLogEntry(
    clock.now(),
    level,
    category,
    redactSecrets(message, secrets()),
    jobId,
  );
  for (const sink of sinks) sink(entry);
  return entry;
}

export function createLogger(opts: {
  sinks: readonly LogSink[];
  secrets: () => readonly (string | null | undefined)[];
  clock: Clock;
}): Logger {
  const log = (level: LogLevel, category: string, message: string, jobId?: string) => {
    pushLog(opts.sinks, opts.secrets, opts.clock, level, category, message, jobId);
  };
  return {
    log,
    info: (c, m, j) => log('info', c, m, j),
    warn: (c, m, j) => log('warn', c, m, j),
    error: (c, m, j) => log('error', c, m, j),
    redact: (text) => redactSecrets(text, opts.secrets()),
  };
}
