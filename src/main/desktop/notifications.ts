// Opt-in desktop notifications (config `notifications`): which changes between two snapshots
// deserve one. Pure; the caller shows them only when the user turned them on.
import type { RecentJob, WorkerSnapshot } from '../../shared/snapshot.js';

export interface DesktopNotice {
  kind: 'job-failed' | 'credentials-rejected' | 'update-ready';
  title: string;
  body: string;
}

const BODY_MAX = 200;

export function notificationsFor(prev: WorkerSnapshot, next: WorkerSnapshot): DesktopNotice[] {
  const notices: DesktopNotice[] = [];
  for (const job of newlyFinished(prev.recentJobs, next.recentJobs)) {
    if (job.outcome.kind !== 'failed') continue;
    notices.push({
      kind: 'job-failed',
      title: `A ${job.kind} job failed`,
      body: cut(`Job ${job.id} (${job.model}): ${job.outcome.error}`),
    });
  }
  if (
    next.registration.kind === 'credentials-rejected' &&
    prev.registration.kind !== 'credentials-rejected'
  ) {
    notices.push({
      kind: 'credentials-rejected',
      title: 'The studio rejected this worker’s credentials',
      body: cut(`${next.registration.message} — register again from the Studio Worker window.`),
    });
  }
  if (
    next.update.kind === 'ready' &&
    (prev.update.kind !== 'ready' || prev.update.version !== next.update.version)
  ) {
    notices.push({
      kind: 'update-ready',
      title: `Update ready (${next.update.version})`,
      body: 'Studio Worker installs it and restarts as soon as no job is running.',
    });
  }
  return notices;
}

/** Jobs in `next` (newest first) that `prev` had not seen yet, oldest first. */
function newlyFinished(prev: RecentJob[], next: RecentJob[]): RecentJob[] {
  const key = (j: RecentJob) => `${j.id}@${j.finishedAt}`;
  const seen = new Set(prev.map(key));
  return next.filter((j) => !seen.has(key(j))).reverse();
}

function cut(text: string): string {
  return text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text;
}
