// Job outcomes as the jobs page names and filters them.
import type { RecentJob, RecentJobOutcome } from '../../src/shared/snapshot';
import type { Tone } from './status-badge';

export type OutcomeFilter = 'all' | RecentJobOutcome['kind'];

export const OUTCOME_FILTERS: { value: OutcomeFilter; label: string }[] = [
  { value: 'all', label: 'All outcomes' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
  { value: 'spooled', label: 'Waiting for upload' },
];

export function outcomeLabel(outcome: RecentJobOutcome): { text: string; tone: Tone } {
  switch (outcome.kind) {
    case 'completed':
      return { text: 'Completed', tone: 'ok' };
    case 'failed':
      return { text: outcome.retryable ? 'Failed (will retry)' : 'Failed', tone: 'error' };
    case 'spooled':
      return { text: 'Waiting for upload', tone: 'warn' };
  }
}

/** Why it did not complete, or null. */
export function outcomeReason(outcome: RecentJobOutcome): string | null {
  return outcome.kind === 'completed' ? null : outcome.error;
}

export function filterJobs(jobs: readonly RecentJob[], filter: OutcomeFilter): RecentJob[] {
  return jobs.filter((job) => filter === 'all' || job.outcome.kind === filter);
}
