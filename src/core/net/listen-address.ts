// "host:port" as metrics_listen and --metrics-port take it: an IPv4 address, a host name or a
// bracketed IPv6 address, then a port from 0 to 65535 (0 = any free one). Parsed once, here.

export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_METRICS_HOST = '127.0.0.1';

export type ParsedListen =
  { kind: 'ok'; address: ListenAddress } | { kind: 'invalid'; reason: string };

export function parseListenAddress(text: string): ParsedListen {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i.exec(text.trim());
  if (!match?.[1] || match[2] === undefined) {
    return { kind: 'invalid', reason: `expected "host:port", e.g. "127.0.0.1:9464"` };
  }
  const port = Number(match[2]);
  if (port > 65_535) return { kind: 'invalid', reason: `port ${port} is above 65535` };
  return { kind: 'ok', address: { host: match[1].replace(/^\[(.*)\]$/, '$1'), port } };
}

/** Parses a port given on its own (`--metrics-port 9464`); null when it is not one. */
export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65_535 ? port : null;
}
