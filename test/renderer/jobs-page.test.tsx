// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import { JobsPage } from '../../renderer/src/pages/JobsPage';
import { idleSnapshot, logEntry, recentJob, runningJob } from './fixtures';
import { cellTexts, facts, region } from './read-dom';
import { atFixtureTime, renderWith } from './render';

function renderJobs(snapshot: WorkerSnapshot, jobId?: string) {
  atFixtureTime();
  return renderWith(snapshot, <JobsPage jobId={jobId} />);
}

/** The recent-jobs table's body rows. */
const rows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);
/** A row's outcome: its label and the reason under it. */
const outcomeOf = (row: HTMLElement) => ({
  label: row.querySelector('.pill')?.textContent,
  reason: row.querySelector('.reason')?.textContent ?? null,
});

const fiftyJobs = Array.from({ length: 50 }, (_, i) =>
  recentJob(
    i + 1,
    i % 10 === 3 ? { outcome: { kind: 'failed', error: 'out of memory', retryable: false } } : {},
  ),
);

describe('jobs page', () => {
  it('says so when no job has run yet', () => {
    renderJobs(idleSnapshot());
    expect(region('Current job').textContent).toBe('Current jobNo job running.');
    expect(region('Recent jobs').textContent).toContain('No jobs finished yet.');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('puts the running job above the recent ones', () => {
    renderJobs(idleSnapshot({ currentJob: runningJob(), recentJobs: [recentJob(1)] }));
    const current = screen.getByRole('region', { name: 'Current job' });
    const recent = screen.getByRole('region', { name: 'Recent jobs' });
    expect(facts(current).Prompt).toContain('a lighthouse');
    expect(current.compareDocumentPosition(recent) & Node.DOCUMENT_POSITION_FOLLOWING).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

  it('lists all 50 recent jobs newest first with kind, model, prompt and outcome', () => {
    renderJobs(idleSnapshot({ recentJobs: fiftyJobs }));
    const all = rows();
    expect(all).toHaveLength(50);
    // Columns: finished, kind, model, prompt, outcome, duration, details.
    expect(cellTexts(all[0]!).slice(1, 5)).toEqual([
      'llm',
      'llama-3-8b',
      'prompt number 1',
      'Completed',
    ]);
    expect(cellTexts(all[49]!)[3]).toBe('prompt number 50');
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
    expect(outcomeOf(failed!)).toEqual({
      label: 'Failed (will retry)',
      reason: 'CUDA out of memory',
    });
    expect(outcomeOf(spooled!)).toEqual({
      label: 'Waiting for upload',
      reason: 'studio unreachable',
    });
  });

  it('filters the list by outcome', async () => {
    renderJobs(idleSnapshot({ recentJobs: fiftyJobs }));
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Failed');
    expect(rows()).toHaveLength(5);
    for (const row of rows()) {
      expect(outcomeOf(row)).toEqual({ label: 'Failed', reason: 'out of memory' });
    }
  });

  it('says so when no job matches the filter', async () => {
    renderJobs(idleSnapshot({ recentJobs: [recentJob(1)] }));
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'Waiting for upload');
    expect(screen.queryByRole('table')).toBeNull();
    expect(region('Recent jobs').textContent).toContain('No jobs match this filter.');
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
    expect(facts(region('Job details'))).toMatchObject({
      State: 'Failed',
      Reason: 'engine timed out',
      Prompt: long,
    });
    const log = within(screen.getByRole('region', { name: 'Log lines' }));
    expect(log.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('claimed job-3'),
      expect.stringContaining('job-3 failed: engine timed out'),
    ]);
  });

  it('says so when the job is no longer among the recent ones', () => {
    renderJobs(idleSnapshot(), 'job-999');
    expect(screen.queryByRole('region', { name: 'Job details' })).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).nextElementSibling?.textContent).toBe(
      'This job is not among the running or the last 50 jobs.',
    );
  });
});
