// Where an engine's inference server lives. base_url must be an http(s) address on this machine;
// a server elsewhere receives every prompt (and the api_key), so it takes allow_remote = true.
import { isLoopbackHost } from '../../net/loopback.js';
import { failConfig } from '../settings.js';

export { isLoopbackHost };

export interface EndpointInput {
  /** The configured base_url, if any. */
  baseUrl: string | undefined;
  allowRemote: boolean;
  /** Used when base_url is left out. */
  defaultUrl: string;
  /** For messages: `engines[0]`. */
  where: string;
}

/**
 * The server's base URL without a trailing `/`, or a config error naming `<where>.base_url`.
 * A path prefix is kept (a server behind a reverse proxy); user info, queries and fragments are
 * refused, since they would be sent, logged or lost in ways nobody intended.
 */
export function endpointFrom(input: EndpointInput): string {
  const { where } = input;
  const raw = (input.baseUrl ?? input.defaultUrl).trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return failConfig(
      `${where}.base_url: must be an http:// or https:// URL (got ${JSON.stringify(raw)}) — fix ${where} in config.toml`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    failConfig(
      `${where}.base_url: must be an http:// or https:// URL (got ${JSON.stringify(raw)}) — fix ${where} in config.toml`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    failConfig(
      `${where}.base_url: must not hold a user name or password — ` +
        `remove them from the URL (use api_key where the engine has one)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    failConfig(
      `${where}.base_url: must not have a ?query or #fragment (got ${JSON.stringify(raw)}) — ` +
        'give the server address with an optional path only',
    );
  }
  if (!input.allowRemote && !isLoopbackHost(url.hostname)) {
    failConfig(
      `${where}.base_url: ${url.host} is not this machine (got ${JSON.stringify(raw)}) — ` +
        `set allow_remote = true in ${where} to send jobs (prompts and api_key) to another machine`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
