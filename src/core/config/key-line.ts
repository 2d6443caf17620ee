// Finds the line of config.toml where a key is set, so a validation error can point at it.
// A line scan, not a TOML parser: it tracks the current [table] header and looks for `key =`.
// Good enough for hand-edited and generated files; when it cannot tell, it returns undefined.

const HEADER = /^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$/;

/**
 * The 1-based line that sets `key` (dotted: `vram_threshold_gb`, `schedule.heartbeat_secs`,
 * `engines.1`): a top-level key, a key inside its [table], or the table's header.
 */
export function findKeyLine(text: string, key: string): number | undefined {
  const [top, sub] = key.split('.');
  if (top === undefined || top === '') return undefined;
  // `engines.1` is an item of a list of tables: the second [[engines]] header.
  const listIndex = sub !== undefined && /^\d+$/.test(sub) ? Number(sub) : undefined;
  let table = '';
  let headersSeen = 0;
  let firstHeaderLine: number | undefined;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const lineNumber = index + 1;
    const header = HEADER.exec(line);
    if (header) {
      table = normalizeKey(header[1] ?? '');
      if (table !== top) continue;
      headersSeen += 1;
      firstHeaderLine ??= lineNumber;
      if (sub === undefined) return lineNumber;
      if (listIndex !== undefined && headersSeen === listIndex + 1) return lineNumber;
      continue;
    }
    const name = assignedKey(line);
    if (name === undefined) continue;
    if (table === '') {
      // `schedule = { … }` or the dotted `schedule.heartbeat_secs = 5` at the top level.
      const dotted = sub !== undefined && listIndex === undefined ? `${top}.${sub}` : top;
      if (name === top || name === dotted || name.startsWith(`${dotted}.`)) return lineNumber;
    } else if (sub !== undefined && table === top && (name === sub || name.startsWith(`${sub}.`))) {
      return lineNumber;
    }
  }
  // The key itself was not found (e.g. a missing key): point at its table, if any.
  return firstHeaderLine;
}

/** `"schedule" . 'x'` → `schedule.x`: TOML allows quotes and spaces around the dots. */
function normalizeKey(raw: string): string {
  return raw
    .split('.')
    .map((part) => part.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .join('.');
}

/** The (normalized) key a `key = value` line assigns, if the line is one. */
function assignedKey(line: string): string | undefined {
  const assignment = /^\s*([^=#[]+?)\s*=/.exec(line);
  return assignment ? normalizeKey(assignment[1] ?? '') : undefined;
}
