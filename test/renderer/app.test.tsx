// @vitest-environment jsdom
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BridgeLink, RendererBridge } from '../../renderer/src/bridge';
import { App } from '../../renderer/src/App';
import { createWorkerStore, StoreContext } from '../../renderer/src/store';
import { idleSnapshot } from './fixtures';
import { renderWith } from './render';

const nav = () => screen.getByRole('navigation', { name: 'Pages' });

describe('the window', () => {
  it('shows each page from the navigation and marks the current one', async () => {
    const user = userEvent.setup();
    renderWith(idleSnapshot(), <App />);
    for (const page of ['Jobs', 'Logs', 'Settings', 'About', 'Status']) {
      await user.click(screen.getByRole('link', { name: page }));
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(page);
      expect(screen.getByRole('link', { name: page }).getAttribute('aria-current')).toBe('page');
    }
  });

  it('moves focus to the new page heading after navigating', async () => {
    renderWith(idleSnapshot(), <App />);
    await userEvent.setup().click(screen.getByRole('link', { name: 'Logs' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('opens a job detail from its hash address', () => {
    window.location.hash = '#/jobs/job-9';
    renderWith(idleSnapshot(), <App />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Job job-9');
  });

  it('says it is connecting until the first snapshot arrives', () => {
    const silent: RendererBridge = {
      subscribe: () => () => undefined,
      send: () => Promise.resolve({ ok: true }),
    };
    render(
      <StoreContext.Provider value={createWorkerStore(silent)}>
        <App />
      </StoreContext.Provider>,
    );
    expect(within(screen.getByRole('main')).getByRole('status').textContent).toBe(
      'Connecting to the worker…',
    );
    expect(screen.queryByRole('heading', { level: 1 })).toBeNull();
  });

  it('warns when the connection to the worker is lost', () => {
    let setConnection: (state: BridgeLink) => void = () => undefined;
    const bridge: RendererBridge = {
      subscribe: (listener) => {
        listener(idleSnapshot());
        return () => undefined;
      },
      send: () => Promise.resolve({ ok: true }),
      onConnection: (listener) => {
        setConnection = listener;
        listener('open');
        return () => undefined;
      },
    };
    render(
      <StoreContext.Provider value={createWorkerStore(bridge)}>
        <App />
      </StoreContext.Provider>,
    );
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => setConnection('lost'));
    expect(screen.getByRole('alert').textContent).toContain('Lost the connection to the worker');
  });

  it('marks the Settings link while settings are unsaved', async () => {
    const user = userEvent.setup();
    renderWith(idleSnapshot(), <App />);
    await user.click(screen.getByRole('link', { name: 'Settings' }));
    await user.click(screen.getByRole('checkbox', { name: 'Start at login' }));
    await user.click(screen.getByRole('link', { name: /^Status/ }));
    expect(nav().textContent).toContain('Settings • (unsaved changes)');
    await user.click(screen.getByRole('link', { name: /^Settings/ }));
    expect(
      (screen.getByRole('checkbox', { name: /^Start at login/ }) as HTMLInputElement).checked,
    ).toBe(false);
  });
});
