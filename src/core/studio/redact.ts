// Keeps tokens out of error messages: a studio may echo the Authorization header or the
// bootstrap token in its error body, and error messages end up in logs, the UI and reports.

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
