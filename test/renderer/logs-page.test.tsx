// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/shared/snapshot';
import { LogsPage } from '../../renderer/src/pages/LogsPage';
import { idleSnapshot, logEntry } from './fixtures';
import { answerBeside } from './read-dom';
import { renderWith } from './render';

function renderLogs(logs: LogEntry[]) {
  return renderWith(idleSnapshot({ logs }), <LogsPage />);
}

const shownLines = () =>
  within(screen.getByRole('region', { name: 'Log entries' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');

const thousand = Array.from({ length: 1000 }, (_, i) =>
  logEntry(i, {
    level: i % 100 === 0 ? 'error' : i % 10 === 0 ? 'warn' : 'info',
    category: i % 2 === 0 ? 'claim' : 'heartbeat',
    ...(i % 250 === 7 ? { jobId: `job-${i}` } : {}),
  }),
);

describe('logs page', () => {
  it('renders only a window of rows out of 1000 entries', () => {
    renderLogs(thousand);
    expect(screen.getByTestId('log-count').textContent).toContain('Showing 1000 of 1000 entries');
    const rendered = shownLines();
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
  });

  it('shows only the chosen level', async () => {
    renderLogs(thousand);
    await userEvent
      .setup()
      .selectOptions(screen.getByRole('combobox', { name: 'Level' }), 'Errors');
    expect(screen.getByTestId('log-count').textContent).toContain('Showing 10 of 1000 entries');
    for (const line of shownLines()) expect(line).toContain(' error ');
  });

  it('searches the category, the message and the job id', async () => {
    const user = userEvent.setup();
    renderLogs([
      logEntry(1, { category: 'upload', message: 'result stored' }),
      logEntry(2, { category: 'claim', message: 'claimed a job', jobId: 'job-77' }),
      logEntry(3, { category: 'heartbeat', message: 'studio UPLOAD window open' }),
    ]);
    const search = screen.getByRole('searchbox', { name: 'Search' });
    await user.type(search, 'upload');
    expect(shownLines()).toEqual([
      expect.stringContaining('result stored'),
      expect.stringContaining('studio UPLOAD window open'),
    ]);
    await user.clear(search);
    await user.type(search, 'job-77');
    expect(shownLines()).toEqual([expect.stringContaining('claimed a job')]);
  });

  it('says so when nothing matches', async () => {
    renderLogs([logEntry(1)]);
    await userEvent
      .setup()
      .type(screen.getByRole('searchbox', { name: 'Search' }), 'nothing like this');
    expect(screen.queryByRole('region', { name: 'Log entries' })).toBeNull();
    expect(screen.getByTestId('log-count').nextElementSibling?.textContent).toBe(
      'No entries match the filter.',
    );
  });

  it('copies the visible lines in the CLI log format', async () => {
    const user = userEvent.setup();
    renderLogs([
      logEntry(1, { level: 'warn', category: 'studio', message: 'slow answer' }),
      logEntry(2, { category: 'claim', message: 'claimed', jobId: 'job-5' }),
      logEntry(3, { level: 'warn', category: 'spool', message: 'disk nearly full' }),
    ]);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Level' }), 'Warnings');
    await user.click(screen.getByRole('button', { name: 'Copy visible lines' }));
    expect(await navigator.clipboard.readText()).toBe(
      [
        '2026-11-28T13:43:21.000Z warn [studio] slow answer',
        '2026-11-28T13:43:23.000Z warn [spool] disk nearly full',
      ].join('\n'),
    );
    expect(answerBeside('Copy visible lines')).toEqual({ text: 'copied 2 lines', error: false });
  });

  it('follows new entries by default and can be switched off', async () => {
    renderLogs([logEntry(1)]);
    const follow = screen.getByRole('checkbox', { name: 'Follow' }) as HTMLInputElement;
    expect(follow.checked).toBe(true);
    await userEvent.setup().click(follow);
    expect(follow.checked).toBe(false);
  });

  it('says so when there are no entries yet', () => {
    renderLogs([]);
    expect(screen.queryByRole('region', { name: 'Log entries' })).toBeNull();
    expect(screen.getByTestId('log-count').nextElementSibling?.textContent).toBe(
      'No log entries yet.',
    );
  });
});
