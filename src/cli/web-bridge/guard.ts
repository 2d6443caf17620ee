// Who may talk to the web bridge: requests addressed to a loopback name (a foreign Host header is
// a DNS-rebinding page), from no other origin, carrying the token printed at start — in the query
// (the first page load), then in a cookie (everything the page loads) or a header (scripts).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_HEADER = 'x-studio-worker-token';

/** Loopback host names as they appear in a Host header (any port: SSH forwarding changes it). */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type Verdict =
  | { kind: 'allowed'; via: 'query' | 'cookie' | 'header' }
  | { kind: 'refused'; status: 401 | 403; reason: string };

/** The host name of a Host header value: `127.0.0.1:8080` → `127.0.0.1`; null when malformed. */
export function hostnameOf(host: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/@\s]+)(?::\d{1,5})?$/i.exec(host);
  return match?.[1]?.toLowerCase() ?? null;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkRequest(
  req: { headers: IncomingHttpHeaders; url?: string | undefined },
  auth: { token: string; cookieName: string },
): Verdict {
  const host = req.headers.host;
  const hostname = host === undefined ? null : hostnameOf(host);
  if (!hostname || !LOOPBACK_HOSTNAMES.has(hostname)) {
    return { kind: 'refused', status: 403, reason: 'foreign Host header' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { kind: 'refused', status: 403, reason: 'foreign Origin header' };
  }
  const query = new URL(req.url ?? '/', 'http://loopback').searchParams.get('token');
  if (sameToken(query, auth.token)) return { kind: 'allowed', via: 'query' };
  const header = req.headers[TOKEN_HEADER];
  if (sameToken(typeof header === 'string' ? header : undefined, auth.token))
    return { kind: 'allowed', via: 'header' };
  if (sameToken(cookieValue(req.headers.cookie, auth.cookieName), auth.token))
    return { kind: 'allowed', via: 'cookie' };
  return {
    kind: 'refused',
    status: 401,
    reason: 'missing or wrong token: open the URL that `studio-worker run --ui` printed',
  };
}
