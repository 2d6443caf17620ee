// Where the window's page comes from (the Vite build in dist/renderer, or a Vite dev server while
// developing), which URLs count as "our page" for IPC and navigation, and the page's
// Content-Security-Policy. Pure functions of the location.

export type RendererLocation =
  /** dist/renderer/index.html as a file:// URL. */
  | { kind: 'file'; url: string }
  /** A Vite dev server on loopback (development builds only). */
  | { kind: 'dev'; url: string };

/** Set to the Vite dev server's URL (e.g. http://localhost:5173/) to develop the window live. */
export const DEV_RENDERER_URL_ENV = 'STUDIO_WORKER_RENDERER_URL';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The built page, unless this is a development build and $STUDIO_WORKER_RENDERER_URL names a
 * loopback http(s) server. A packaged app always loads its own files.
 */
export function rendererLocation(opts: {
  packaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  builtIndexUrl: string;
}): RendererLocation {
  const dev = opts.env[DEV_RENDERER_URL_ENV]?.trim();
  if (!opts.packaged && dev) {
    const url = parseUrl(dev);
    if (
      url &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      LOOPBACK_HOSTS.has(url.hostname)
    )
      return { kind: 'dev', url: url.href };
  }
  return { kind: 'file', url: opts.builtIndexUrl };
}

/**
 * Whether `url` is our page: the same file (any #route or ?query), or the dev server's origin.
 * Windows file paths are case-insensitive (C:\Program Files vs c:\program files): compared so.
 */
export function isRendererUrl(
  location: RendererLocation,
  url: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const candidate = parseUrl(url);
  const ours = parseUrl(location.url);
  if (!candidate || !ours) return false;
  if (location.kind === 'file')
    return (
      candidate.protocol === 'file:' &&
      candidate.host === ours.host &&
      (platform === 'win32'
        ? decodedPath(candidate.pathname).toLowerCase() === decodedPath(ours.pathname).toLowerCase()
        : candidate.pathname === ours.pathname)
    );
  return candidate.origin === ours.origin;
}

/**
 * A strict policy: scripts, styles, images and fonts only from the page's own files; no network,
 * frames, plugins or form posts. The dev server needs inline scripts and styles (Vite's client
 * and React refresh) and a websocket back to it for hot reload.
 */
export function contentSecurityPolicy(location: RendererLocation): string {
  const dev = location.kind === 'dev';
  const devOrigin = dev ? new URL(location.url) : null;
  const directives = [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    devOrigin ? `connect-src 'self' ws://${devOrigin.host}` : "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** %-escapes decoded (their hex case may differ too); a malformed escape is kept as it is. */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
