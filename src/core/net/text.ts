// Small helpers shared by every HTTP client of the worker (the studio client and the engines):
// the system error code inside a fetch/undici failure, and a short excerpt of a response body.

/** The first system error code (ECONNREFUSED, ETIMEDOUT, …) in an error, its causes or its group. */
export function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, errors, cause } = current as {
      code?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') return code;
    current = Array.isArray(errors) ? errors[0] : cause;
  }
  return undefined;
}

/** A body on one line, cut to `maxChars` characters (then `…`); `(empty body)` when blank. */
export function bodyExcerpt(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  const chars = Array.from(flat);
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars).join('')}…`;
}
