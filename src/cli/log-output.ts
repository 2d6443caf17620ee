// The CLI's log sink: `<ts> <level> [<category>] <message>` lines, or JSON lines for machines.
import type { LogEntry } from '../shared/snapshot.js';
import { formatLogLine } from '../shared/format.js';

export type LogFormat = 'text' | 'json';

export function parseLogFormat(value: string | undefined): LogFormat | null {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  return null;
}

export function consoleSink(format: LogFormat, write: (text: string) => void) {
  return (entry: LogEntry) =>
    write((format === 'json' ? JSON.stringify(entry) : formatLogLine(entry)) + '\n');
}
