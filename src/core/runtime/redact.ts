// Secret redaction: every text that leaves the worker (logs, errors, status output) passes here.

export const REDACTED = '<redacted>';

/** Replaces each secret value found in `text` with `<redacted>`. Short values are skipped: a
 * one-character "secret" would shred ordinary text and protects nothing. */
export function redactSecrets(
  text: string,
  secrets: readonly (string | null | undefined)[],
): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}
