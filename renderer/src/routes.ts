// The window's pages, addressed by the URL hash (`#/jobs`, `#/jobs/<job id>`), so the browser's
// back button and links work in the web bridge and in Electron alike.

export const PAGES = [
  { id: 'status', title: 'Status' },
  { id: 'jobs', title: 'Jobs' },
  { id: 'logs', title: 'Logs' },
  { id: 'settings', title: 'Settings' },
  { id: 'about', title: 'About' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  /** `#/jobs/<id>`: the detail view of one job. */
  jobId?: string;
}

export function routeOf(hash: string): Route {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = PAGES.find((p) => p.id === page);
  if (!known) return { page: 'status' };
  if (known.id === 'jobs' && rest.length > 0 && rest[0]) {
    return { page: 'jobs', jobId: decodeURIComponent(rest.join('/')) };
  }
  return { page: known.id };
}

export function hrefOf(route: Route): string {
  return route.jobId ? `#/jobs/${encodeURIComponent(route.jobId)}` : `#/${route.page}`;
}
