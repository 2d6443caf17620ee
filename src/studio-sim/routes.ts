// Maps a request's method and path to one of the sim's routes: the studio protocol under
// /graphics/api (PROTOCOL.md), the release feed, update files, result files and the status page.

/** The protocol routes plus the release feed: the routes a fault plan can target. */
export const ROUTE_NAMES = [
  'register',
  'heartbeat',
  'claim',
  'complete',
  'complete-json',
  'fail',
  'logs',
  'releases',
] as const;

export type RouteName = (typeof ROUTE_NAMES)[number];

/** Every route a request can land on, as recorded in `requests()`. */
export type RequestRoute = RouteName | 'page' | 'result-file' | 'updates' | 'unknown';

export type RouteMatch =
  | { route: 'register' }
  | { route: 'heartbeat' | 'claim' | 'logs'; workerId: string }
  | { route: 'complete' | 'complete-json' | 'fail'; workerId: string; jobId: string }
  | { route: 'releases' | 'page' }
  | { route: 'result-file'; jobId: string }
  | { route: 'updates'; file: string }
  | { route: 'unknown' };

export const API_PREFIX = '/graphics/api/';

const WORKER_ROUTES = new Set(['heartbeat', 'claim', 'logs']);
const JOB_ROUTES = new Set(['complete', 'complete-json', 'fail']);

export function isRouteName(route: string): route is RouteName {
  return (ROUTE_NAMES as readonly string[]).includes(route);
}

/** The method a route answers to: every protocol route is POST, everything else GET. */
export function methodOf(route: RequestRoute): 'POST' | 'GET' {
  return route === 'releases' || route === 'page' || route === 'result-file' || route === 'updates'
    ? 'GET'
    : 'POST';
}

/** Matches a URL path (no query string); segments are percent-decoded. */
export function matchRoute(path: string): RouteMatch {
  if (path === '/') return { route: 'page' };
  if (path === '/releases') return { route: 'releases' };
  const segments = decodeSegments(path);
  if (!segments) return { route: 'unknown' };
  if (path.startsWith('/results/') && segments.length === 2) {
    return { route: 'result-file', jobId: segments[1]! };
  }
  if (path.startsWith('/updates/') && segments.length >= 2) {
    return { route: 'updates', file: segments.slice(1).join('/') };
  }
  if (!path.startsWith(API_PREFIX)) return { route: 'unknown' };
  return matchApiRoute(segments.slice(2));
}

function matchApiRoute(parts: string[]): RouteMatch {
  const [workers, workerId, action, jobId, jobAction] = parts;
  if (workers !== 'workers' || workerId === undefined) return { route: 'unknown' };
  if (parts.length === 2 && workerId === 'register') return { route: 'register' };
  if (parts.length === 3 && action !== undefined && WORKER_ROUTES.has(action)) {
    return { route: action as 'heartbeat' | 'claim' | 'logs', workerId };
  }
  if (
    parts.length === 5 &&
    action === 'jobs' &&
    jobId !== undefined &&
    jobAction !== undefined &&
    JOB_ROUTES.has(jobAction)
  ) {
    return { route: jobAction as 'complete' | 'complete-json' | 'fail', workerId, jobId };
  }
  return { route: 'unknown' };
}

/** Splits `/a/b%20c` into `['a', 'b c']`; undefined for bad escapes or empty segments. */
function decodeSegments(path: string): string[] | undefined {
  const raw = path.slice(1).split('/');
  try {
    const segments = raw.map((segment) => decodeURIComponent(segment));
    return segments.every((segment) => segment.length > 0) ? segments : undefined;
  } catch {
    return undefined;
  }
}
