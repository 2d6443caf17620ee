// Text formats shared by the CLI, the tray and the window: durations, log lines, update state. Pure
// functions, so the renderer (which may not import src/core) shows exactly what the CLI prints.
import type { JobProgress, LogEntry, UpdateState } from './snapshot.js';

/** `12s`, `3m 04s`, `1h 12m`. */
export function formatDuration(ms: number): string {
  const secs = Math.max(0, Math.round(ms / 1000));
  if (secs < 60) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins}m ${String(secs % 60).padStart(2, '0')}s`;
  return `${Math.floor(mins / 60)}h ${mins % 60}m`;
}

/**
 * Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. A line break in
 * a job id, a model or a studio's error text would otherwise start a forged line in a text log,
 * and an ESC would drive the terminal that shows it.
 */
const CONTROL_CHARS = /[\p{Cc}\u2028\u2029]/gu;

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The text on one line, every control character shown as an escape: a CR LF becomes the four
 * characters `\r\n`, an ESC `\u001b`.
 */
export function escapeControlChars(text: string): string {
  return text.replace(
    CONTROL_CHARS,
    (c) => NAMED_ESCAPES[c] ?? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * `<ts> <level> [<category>] <message>` — the CLI's console format, also what the window copies
 * and the desktop log file holds. One entry is always one line: every field is escaped here, the
 * one place every text log line is made.
 */
export function formatLogLine(entry: LogEntry): string {
  const job = entry.jobId ? ` (job ${entry.jobId})` : '';
  return escapeControlChars(
    `${entry.ts} ${entry.level} [${entry.category}] ${entry.message}${job}`,
  );
}

/** The update state in a few words: `up to date`, `1.3.0 available (https://…)`, … */
export function describeUpdate(u: UpdateState): string {
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

/** `step 12/20`, `37 tokens`, `queued in ComfyUI, 2 ahead`: a running job's progress in words. */
export function describeProgress(p: JobProgress): string {
  const unit = p.unit.endsWith('s') ? p.unit.slice(0, -1) : p.unit;
  if (p.total === null) return p.done === 0 && p.stage !== null ? p.stage : `${p.done} ${p.unit}`;
  return `${unit} ${p.done}/${p.total}`;
}
