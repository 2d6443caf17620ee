// The headless worker's UpdateSource: reads a GitHub releases JSON feed over HTTP and reports
// a newer release; it never installs (the CLI was installed by a package manager or by hand).
import { STATUS_CODES } from 'node:http';
import { request } from 'undici';
import { isHttpUrl } from '../config/validation.js';
import { readCapped } from '../net/body.js';
import { parseGithubReleases } from './github-feed.js';
import { parseCurrentVersion } from './version-tag.js';
import type { UpdateSource } from './source.js';
import { errorMessage } from '../errors/message.js';

export interface FetchTextInit {
  timeoutMs: number;
  userAgent: string;
  signal?: AbortSignal | undefined;
}

/** GETs a URL's body as text; rejects with an Error whose message is the reason. */
export type FetchText = (url: string, init: FetchTextInit) => Promise<string>;

export interface GithubUpdateSourceOptions {
  feedUrl: string;
  currentVersion: string;
  includePrerelease: boolean;
  /** For the whole request, body included. */
  timeoutMs?: number;
  fetchText?: FetchText;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A page of 100 releases with long notes is ~1 MB; anything far bigger is not a feed. */
const MAX_FEED_BYTES = 10 * 1024 * 1024;
const MAX_SAME_HOST_REDIRECTS = 3;

export function createGithubUpdateSource(options: GithubUpdateSourceOptions): UpdateSource {
  const { feedUrl, currentVersion, includePrerelease } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchText = options.fetchText ?? fetchFeedText;
  if (!isHttpUrl(feedUrl)) {
    throw new Error(
      `the update feed must be an http:// or https:// URL (got ${JSON.stringify(feedUrl)}) — check auto_update_feed`,
    );
  }
  // Fails now, at start-up, rather than at every check.
  parseCurrentVersion(currentVersion);
  const userAgent = `studio-worker/${currentVersion}`;

  return {
    async check(signal) {
      try {
        const body = await fetchText(feedUrl, { timeoutMs, userAgent, signal });
        const latest = parseGithubReleases(parseJson(body), { currentVersion, includePrerelease });
        return latest === null
          ? { kind: 'up-to-date', currentVersion }
          : {
              kind: 'available',
              version: latest.version,
              ...(latest.url ? { url: latest.url } : {}),
            };
      } catch (error) {
        const reason = errorMessage(error);
        throw new Error(`could not read the update feed at ${feedUrl}: ${reason}`, {
          cause: error,
        });
      }
    },

    async apply(available) {
      return {
        kind: 'report-only',
        version: available.version,
        ...(available.url === undefined ? {} : { url: available.url }),
      };
    },
  };
}

/**
 * The default FetchText, with undici. Follows a redirect only to the same host (an http → https
 * upgrade included): a feed that moves elsewhere should be configured where it now lives.
 */
export async function fetchFeedText(url: string, init: FetchTextInit): Promise<string> {
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal === undefined ? timeout : AbortSignal.any([init.signal, timeout]);
  let target = new URL(url);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const response = await request(target, {
        method: 'GET',
        headers: {
          accept: 'application/vnd.github+json, application/json',
          'user-agent': init.userAgent,
        },
        signal,
      });
      const status = response.statusCode;
      if (status >= 300 && status < 400) {
        await response.body.dump();
        const location = response.headers.location;
        if (typeof location !== 'string')
          throw new Error(`HTTP ${status} redirect without a Location`);
        const next = new URL(location, target);
        if (!isSameHost(target, next)) {
          throw new Error(
            `HTTP ${status} redirect to another host (${next.origin}) — set the feed to its new address`,
          );
        }
        if (redirects >= MAX_SAME_HOST_REDIRECTS) throw new Error('too many redirects');
        target = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        await response.body.dump();
        throw new Error(`HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim());
      }
      const feed = await readCapped(response.body, MAX_FEED_BYTES);
      if (feed.truncated) throw new Error(`the response is larger than ${MAX_FEED_BYTES} bytes`);
      return feed.data.toString('utf8');
    }
  } catch (error) {
    if (timeout.aborted) throw new Error(`no answer within ${init.timeoutMs} ms`, { cause: error });
    if (init.signal?.aborted) throw new Error('the check was cancelled', { cause: error });
    throw new Error(networkReason(error), { cause: error });
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const start = JSON.stringify(body.slice(0, 40));
    throw new Error(`the response is not JSON (starts with ${start})`, { cause: error });
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function networkReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  if (typeof code !== 'string') return message;
  const known = NETWORK_REASONS[code];
  return known === undefined ? `${message} (${code})` : `${known} (${code})`;
}

function isSameHost(from: URL, to: URL): boolean {
  const upgrade = from.protocol === 'http:' && to.protocol === 'https:';
  return to.hostname === from.hostname && (to.protocol === from.protocol || upgrade);
}
