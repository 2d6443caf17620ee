// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AboutPage } from '../../renderer/src/pages/AboutPage';
import { LICENCES } from '../../renderer/src/licences';
import { idleSnapshot } from './fixtures';
import { answerBeside, facts, region } from './read-dom';
import { renderWith } from './render';

describe('about page', () => {
  it('shows the version and the config file path', () => {
    renderWith(idleSnapshot(), <AboutPage />);
    expect(screen.getByTestId('app-version').textContent).toBe('1.4.2');
    expect(facts(region('Studio Worker'))['Config file']).toBe(
      '/home/ada/.config/studio-worker/config.toml',
    );
  });

  it('opens the log folder through the worker and shows when it cannot', async () => {
    const { bridge } = renderWith(idleSnapshot(), <AboutPage />);
    bridge.answer = () => ({ ok: false, error: 'opening the logs folder is not available here' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Open log folder' }));
    expect(bridge.sent).toEqual([{ type: 'openLogsFolder' }]);
    await waitFor(() =>
      expect(answerBeside('Open log folder')).toEqual({
        text: 'opening the logs folder is not available here',
        error: true,
      }),
    );
  });

  it('checks for updates and shows the result', async () => {
    const { bridge } = renderWith(idleSnapshot(), <AboutPage />);
    bridge.answer = () => ({ ok: true, message: 'a newer release is available: 1.5.0' });
    expect(screen.getByTestId('update-state').textContent).toBe('up to date');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check for updates' }));
    expect(bridge.sent).toEqual([{ type: 'checkForUpdates' }]);
    await waitFor(() =>
      expect(answerBeside('Check for updates')).toEqual({
        text: 'a newer release is available: 1.5.0',
        error: false,
      }),
    );
  });

  it('lists the main packages with their licences', () => {
    renderWith(idleSnapshot(), <AboutPage />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('code')?.textContent)).toEqual(
      LICENCES.map((l) => l.name),
    );
    const smolToml = rows.find((r) => r.querySelector('code')?.textContent === 'smol-toml');
    expect(smolToml?.querySelectorAll('td')[1]?.textContent).toBe('BSD-3-Clause');
  });
});
