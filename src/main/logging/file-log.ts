// The worker's log lines mirrored into the desktop log file (electron-log), in the CLI's line
// format, and the rotation that keeps a few old files next to the current one.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { formatLogLine } from '../../shared/format.js';
import type { LogSink } from '../../core/runtime/log.js';
import type { FileLogPort } from '../ports.js';

/** A LogSink (see createWorker's logSinks) that writes each entry to the log file. */
export function fileLogSink(file: Pick<FileLogPort, 'write'>): LogSink {
  return (entry) => file.write(entry.level, formatLogLine(entry));
}

/** How many rotated files (main.1.log … main.5.log) are kept. */
export const KEPT_LOG_FILES = 5;

/**
 * Rotates `logFile` (a full file is moved aside): main.log → main.1.log, main.1.log →
 * main.2.log, …, dropping the oldest beyond `keep`. Synchronous, as electron-log's archive hook
 * must be; the logger then starts a fresh main.log.
 */
export function rotateLogFiles(logFile: string, keep: number = KEPT_LOG_FILES): void {
  const ext = path.extname(logFile);
  const base = logFile.slice(0, logFile.length - ext.length);
  const numbered = (n: number) => `${base}.${n}${ext}`;
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n -= 1) {
    if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  }
  if (existsSync(logFile)) renameSync(logFile, numbered(1));
}
