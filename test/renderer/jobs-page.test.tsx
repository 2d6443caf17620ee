// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import { JobsPage } from '../../renderer/src/pages/JobsPage';
import { idleSnapshot, logEntry, recentJob, runningJob } from './fixtures';
import { atFixtureTime, renderWith } from './render';

function renderJobs(snapshot: WorkerSnapshot, jobId?: string) {
  atFixtureTime();
  return renderWith(snapshot, <JobsPage jobId={jobId} />);
}

/** The recent-jobs table's body rows. */
const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);

const fiftyJobs = Array.from({ length: 50 }, (_, i) =>
  recentJob(
    i + 1,
    i % 10 === 3 ? { outcome: { kind: 'failed', error: 'out of memory', retryable: false } } : {},
  ),
);

describe('jobs page', () => {
  it('says so when no job has run yet', () => {
    renderJobs(idleSnapshot());
    expect(screen.getByText('No job running.')).toBeTruthy();
    expect(screen.getByText('No jobs finished yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('puts the running job above the recent ones', () => {
    renderJobs(idleSnapshot({ currentJob: runningJob(), recentJobs: [recentJob(1)] }));
    const current = screen.getByRole('region', { name: 'Current job' });
    const recent = screen.getByRole('region', { name: 'Recent jobs' });
    expect(within(current).getByText(/a lighthouse/)).toBeTruthy();
    expect(current.compareDocumentPosition(recent) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('lists all 50 recent jobs newest first with kind, model, prompt and outcome', () => {
    renderJobs(idleSnapshot({ recentJobs: fiftyJobs }));
    const all = rows();
    expect(all).toHaveLength(50);
    const first = within(all[0]!);
    expect(first.getByText('llm')).toBeTruthy();
    expect(first.getByText('llama-3-8b')).toBeTruthy();
    expect(first.getByText('prompt number 1')).toBeTruthy();
    expect(first.getByText('Completed')).toBeTruthy();
    expect(within(all[49]!).getByText('prompt number 50')).toBeTruthy();
  });

  it('writes durations as 12s, 3m 04s and 1h 12m', () => {
    renderJobs(
      idleSnapshot({
        recentJobs: [
          recentJob(1, { durationMs: 12_000 }),
          recentJob(2, { durationMs: 184_000 }),
          recentJob(3, { durationMs: 4_320_000 }),
        ],
      }),
    );
    expect(rows().map((r) => r.querySelector('td.num')?.textContent)).toEqual([
      '12s',
      '3m 04s',
      '1h 12m',
    ]);
  });

  it('shows why a job failed and that a spooled one waits for upload', () => {
    renderJobs(
      idleSnapshot({
        recentJobs: [
          recentJob(1, {
            outcome: { kind: 'failed', error: 'CUDA out of memory', retryable: true },
          }),
          recentJob(2, { outcome: { kind: 'spooled', error: 'studio unreachable' } }),
        ],
      }),
    );
    const [failed, spooled] = rows();
    expect(within(failed!).getByText('Failed (will retry)')).toBeTruthy();
    expect(within(failed!).getByText('CUDA out of memory')).toBeTruthy();
    expect(within(spooled!).getByText('Waiting for upload')).toBeTruthy();
    expect(within(spooled!).getByText('studio unreachable')).toBeTruthy();
  });

  it('filters the list by outcome', async () => {
    renderJobs(idleSnapshot({ recentJobs: fiftyJobs }));
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Failed');
    expect(rows()).toHaveLength(5);
    for (const row of rows()) expect(within(row).getByText('out of memory')).toBeTruthy();
  });

  it('says so when no job matches the filter', async () => {
    renderJobs(idleSnapshot({ recentJobs: [recentJob(1)] }));
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Waiting for upload');
    expect(screen.getByText('No jobs match this filter.')).toBeTruthy();
  });

  it('links each job to its detail view', () => {
    renderJobs(idleSnapshot({ recentJobs: [recentJob(7)] }));
    expect(screen.getByRole('link', { name: 'Details of job job-7' }).getAttribute('href')).toBe(
      '#/jobs/job-7',
    );
  });

  it("shows one job's full preview, outcome and only its log lines", () => {
    const long = 'x'.repeat(180) + ' the end…';
    renderJobs(
      idleSnapshot({
        recentJobs: [
          recentJob(3, {
            promptPreview: long,
            outcome: { kind: 'failed', error: 'engine timed out', retryable: false },
          }),
        ],
        logs: [
          logEntry(1, { message: 'claimed job-3', jobId: 'job-3' }),
          logEntry(2, { message: 'something else', jobId: 'job-4' }),
          logEntry(3, {
            level: 'error',
            message: 'job-3 failed: engine timed out',
            jobId: 'job-3',
          }),
        ],
      }),
      'job-3',
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Job job-3');
    expect(screen.getByText(long)).toBeTruthy();
    expect(screen.getByText('engine timed out')).toBeTruthy();
    const log = within(screen.getByRole('region', { name: 'Log lines' }));
    expect(log.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('claimed job-3'),
      expect.stringContaining('job-3 failed: engine timed out'),
    ]);
  });

  it('says so when the job is no longer among the recent ones', () => {
    renderJobs(idleSnapshot(), 'job-999');
    expect(screen.getByText('This job is not among the running or the last 50 jobs.')).toBeTruthy();
  });
});
