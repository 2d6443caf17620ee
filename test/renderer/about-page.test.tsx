// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AboutPage } from '../../renderer/src/pages/AboutPage';
import { LICENCES } from '../../renderer/src/licences';
import { idleSnapshot } from './fixtures';
import { renderWith } from './render';

describe('about page', () => {
  it('shows the version and the config file path', () => {
    renderWith(idleSnapshot(), <AboutPage />);
    expect(screen.getByTestId('app-version').textContent).toBe('1.4.2');
    expect(screen.getByText('/home/ada/.config/studio-worker/config.toml')).toBeTruthy();
  });

  it('opens the log folder through the worker and shows when it cannot', async () => {
    const { bridge } = renderWith(idleSnapshot(), <AboutPage />);
    bridge.answer = () => ({ ok: false, error: 'opening the logs folder is not available here' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Open log folder' }));
    expect(bridge.sent).toEqual([{ type: 'openLogsFolder' }]);
    expect(await screen.findByText('opening the logs folder is not available here')).toBeTruthy();
  });

  it('checks for updates and shows the result', async () => {
    const { bridge } = renderWith(idleSnapshot(), <AboutPage />);
    bridge.answer = () => ({ ok: true, message: 'a newer release is available: 1.5.0' });
    expect(screen.getByTestId('update-state').textContent).toBe('up to date');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Check for updates' }));
    expect(bridge.sent).toEqual([{ type: 'checkForUpdates' }]);
    expect(await screen.findByText('a newer release is available: 1.5.0')).toBeTruthy();
  });

  it('lists the main packages with their licences', () => {
    renderWith(idleSnapshot(), <AboutPage />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('code')?.textContent)).toEqual(
      LICENCES.map((l) => l.name),
    );
    expect(screen.getByRole('row', { name: /smol-toml BSD-3-Clause/ })).toBeTruthy();
  });
});
