// Keeps secrets out of every text that leaves the worker: log lines, error messages (a studio
// may echo the Authorization header or the bootstrap token in its error body), CLI output.

export const REDACTED = '<redacted>';

export type Redactor = (text: string) => string;

/** Replaces every occurrence of each secret (also in its URL- and JSON-escaped forms). */
export function redactorFor(secrets: Iterable<string | undefined>): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((acc, needle) => acc.split(needle).join(REDACTED), text);
}

/** One-off form of redactorFor, for a single text. */
export function redactSecrets(text: string, secrets: Iterable<string | null | undefined>): string {
  return redactorFor([...secrets].map((s) => s ?? undefined))(text);
}
