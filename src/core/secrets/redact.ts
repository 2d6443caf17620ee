// Keeps secrets out of every text that leaves the worker: log lines, error messages (a studio
// may echo the Authorization header or the bootstrap token in its error body), CLI output.
// Besides the known secret values, the user name and password written into any URL
// (`https://user:pass@host`) are hidden wherever a text or a URL is shown.

export const REDACTED = '<redacted>';

export type Redactor = (text: string) => string;

/**
 * `scheme://userinfo@` of a URL anywhere in a text. The userinfo runs to the authority's last `@`
 * (as WHATWG URL parsing reads `http://a:p@ss@host`) and holds no whitespace, `/`, `?` or `#`; a
 * quote or backslash ends it too, so `"http://host","a@b"` in JSON is not taken for one.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'`\\]*(?:@[^\s/?#@"'`\\]*)*@/gi;

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
  return (text) =>
    redactUrlCredentials(ordered.reduce((acc, needle) => acc.split(needle).join(REDACTED), text));
}

/** One-off form of redactorFor, for a single text. */
export function redactSecrets(text: string, secrets: Iterable<string | null | undefined>): string {
  return redactorFor([...secrets].map((s) => s ?? undefined))(text);
}

/**
 * A URL (or any text holding URLs) as it may be shown: `https://user:pass@host/` →
 * `https://<redacted>@host/`. The one way a configured URL is formatted for display.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * The secrets a URL carries in its userinfo, for a redactor: the password (as written and
 * decoded), or the user name when there is no password (`https://TOKEN@host`). None for a URL
 * without userinfo or a text that is not a URL.
 */
export function urlCredentials(url: string | null | undefined): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return [];
  }
  const secret = parsed.password || parsed.username;
  return secret ? [...new Set([secret, safeDecode(secret)])] : [];
}

/**
 * An edited URL that still carries the redacted userinfo it was shown with (a settings window
 * shows `https://<redacted>@host`) gets the userinfo of the URL it replaces back.
 */
export function restoreUrlCredentials(edited: string, previous: string): string {
  const shown = /^([a-z][a-z0-9+.-]*:\/\/)(?:<redacted>|%3Credacted%3E)@/i.exec(edited.trim());
  const kept = /^[a-z][a-z0-9+.-]*:\/\/([^\s/?#]+)@/i.exec(previous.trim());
  if (!shown?.[1] || !kept?.[1]) return edited;
  return `${shown[1]}${kept[1]}@${edited.trim().slice(shown[0].length)}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
