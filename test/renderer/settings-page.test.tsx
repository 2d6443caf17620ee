// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { WorkerCommand } from '../../src/shared/bridge';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import { SettingsPage } from '../../renderer/src/pages/SettingsPage';
import { idleSnapshot } from './fixtures';
import { answerBeside } from './read-dom';
import { renderWith } from './render';

function renderSettings(snapshot: WorkerSnapshot = idleSnapshot()) {
  const view = renderWith(snapshot, <SettingsPage />);
  return { ...view, user: userEvent.setup() };
}

/** The commands sent, less the Engines section's own query for the engine list. */
const settingsSent = (sent: WorkerCommand[]) => sent.filter((c) => c.type !== 'listEngines');

/** A label's start: a changed field's label ends in "(changed)". */
const labelled = (label: string | RegExp) =>
  typeof label === 'string' ? (name: string) => name.startsWith(label) : label;
const input = (label: string | RegExp) =>
  screen.getByRole('textbox', { name: labelled(label) }) as HTMLInputElement;
const numberInput = (label: string | RegExp) =>
  screen.getByRole('spinbutton', { name: labelled(label) }) as HTMLInputElement;
const checkbox = (label: string | RegExp) =>
  screen.getByRole('checkbox', { name: labelled(label) }) as HTMLInputElement;
const dirtyState = () => screen.getByTestId('dirty-state').textContent;
/** The texts that describe a control: its hint, error and warning. */
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '');

describe('settings page', () => {
  it("shows the worker's settings with nothing unsaved", () => {
    renderSettings();
    expect(input('Studio API URL').value).toBe('https://studio.example.com');
    expect(numberInput('VRAM threshold (GB)').value).toBe('12');
    expect(checkbox(/Take jobs/).checked).toBe(true);
    expect(checkbox(/Start at login/).checked).toBe(true);
    expect(checkbox(/Install updates automatically/).checked).toBe(true);
    expect(numberInput('Update check interval (seconds)').value).toBe('1800');
    expect(checkbox(/Include prereleases/).checked).toBe(false);
    expect(numberInput('Job timeout (seconds)').value).toBe('900');
    expect(dirtyState()).toBe('All changes saved');
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('marks changed fields and counts the unsaved changes', async () => {
    const { user } = renderSettings();
    await user.click(checkbox(/Start at login/));
    await user.clear(numberInput('Job timeout (seconds)'));
    await user.type(numberInput('Job timeout (seconds)'), '600');
    expect(dirtyState()).toBe('Unsaved changes: 2');
    expect(screen.getAllByText('(changed)', { exact: false })).toHaveLength(2);
  });

  it('counts a field typed back to its saved value as unchanged', async () => {
    const { user } = renderSettings();
    const threshold = numberInput('VRAM threshold (GB)');
    await user.clear(threshold);
    await user.type(threshold, '12.0');
    expect(dirtyState()).toBe('All changes saved');
  });

  it('keeps a value as typed when a snapshot with the same settings arrives', async () => {
    const { user, bridge } = renderSettings();
    const threshold = numberInput('VRAM threshold (GB)');
    await user.clear(threshold);
    await user.type(threshold, '12.0');
    // A new snapshot object (as every push is) whose settings did not change.
    bridge.push({ ...idleSnapshot(), lastError: 'heartbeat timed out' });
    expect(numberInput('VRAM threshold (GB)').value).toBe('12.0');
  });

  it('discards the changes on Discard', async () => {
    const { user } = renderSettings();
    await user.clear(input('Studio API URL'));
    await user.type(input('Studio API URL'), 'http://other.example');
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(input('Studio API URL').value).toBe('https://studio.example.com');
    expect(dirtyState()).toBe('All changes saved');
  });

  it('says why a URL is refused as it is typed', async () => {
    const { user } = renderSettings();
    await user.clear(input('Studio API URL'));
    await user.type(input('Studio API URL'), 'studio.example.com');
    expect(input('Studio API URL').getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(input('Studio API URL'))).toContain(
      '✕ must be an http:// or https:// URL, e.g. https://studio.example.com',
    );
  });

  it.each([
    ['VRAM threshold (GB)', '-1', 'must be at least 0'],
    ['Update check interval (seconds)', '30', 'must be at least 60'],
    ['Update check interval (seconds)', '1e9', 'must be at most 604800'],
    ['Job timeout (seconds)', '0', 'must be at least 10'],
    ['Job timeout (seconds)', '3000000', 'must be at most 86400'],
    ['Job timeout (seconds)', '1e10', 'must be at most 86400'],
    ['Job timeout (seconds)', '', 'enter a number'],
  ])('refuses %s = "%s": %s', async (label, value, reason) => {
    const { user } = renderSettings();
    await user.clear(numberInput(label));
    if (value) await user.type(numberInput(label), value);
    expect(describedBy(numberInput(label))).toContain(`✕ ${reason}`);
  });

  it('saves nothing while a field is invalid and moves focus to it', async () => {
    const { user, bridge } = renderSettings();
    await user.clear(input('Studio API URL'));
    await user.click(checkbox(/Start at login/));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(settingsSent(bridge.sent)).toEqual([]);
    expect(answerBeside('Save')).toEqual({
      text: 'Not saved: fix the field marked below.',
      error: true,
    });
    expect(document.activeElement).toBe(input('Studio API URL'));
  });

  it('sends only the changed settings, parsed', async () => {
    const { user, bridge } = renderSettings();
    await user.clear(numberInput('VRAM threshold (GB)'));
    await user.type(numberInput('VRAM threshold (GB)'), '16.5');
    await user.click(checkbox(/Start at login/));
    await user.clear(input('Studio API URL'));
    await user.type(input('Studio API URL'), ' http://10.0.0.5:9790 ');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(settingsSent(bridge.sent)).toEqual([
      {
        type: 'saveSettings',
        settings: { apiBaseUrl: 'http://10.0.0.5:9790', vramThresholdGb: 16.5, autoStart: false },
      },
    ]);
  });

  it("shows the worker's answer, e.g. which setting needs a restart", async () => {
    const { user, bridge } = renderSettings();
    bridge.answer = () => ({ ok: true, message: 'saved; engine takes effect after a restart' });
    await user.click(checkbox(/Start at login/));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(answerBeside('Save')).toEqual({
        text: 'saved; engine takes effect after a restart',
        error: false,
      }),
    );
  });

  it("shows the worker's refusal beside the field it names", async () => {
    const { user, bridge } = renderSettings();
    bridge.answer = () => ({
      ok: false,
      error: 'api_base_url: the studio did not answer',
      field: 'apiBaseUrl',
    });
    await user.clear(input('Studio API URL'));
    await user.type(input('Studio API URL'), 'http://10.0.0.9:9790');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findAllByText(/the studio did not answer/);
    expect(describedBy(input('Studio API URL'))).toContain(
      '✕ api_base_url: the studio did not answer',
    );
    expect(input('Studio API URL').getAttribute('aria-invalid')).toBe('true');
  });

  it('clears the unsaved state once the worker reports the saved values', async () => {
    const { user, bridge } = renderSettings();
    await user.click(checkbox(/Include prereleases/));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(dirtyState()).toBe('Unsaved changes: 1');
    const saved = idleSnapshot();
    bridge.push({ ...saved, settings: { ...saved.settings, autoUpdatePrerelease: true } });
    expect(dirtyState()).toBe('All changes saved');
    expect(checkbox(/Include prereleases/).checked).toBe(true);
  });

  it('takes over values changed elsewhere for fields the user did not touch', async () => {
    const { user, bridge } = renderSettings();
    await user.click(checkbox(/Start at login/));
    const elsewhere = idleSnapshot();
    bridge.push({ ...elsewhere, settings: { ...elsewhere.settings, jobTimeoutSecs: 120 } });
    expect(numberInput('Job timeout (seconds)').value).toBe('120');
    expect(checkbox(/Start at login/).checked).toBe(false);
  });

  it('clamps the threshold slider to the detected VRAM and warns above it', async () => {
    const { user } = renderSettings();
    const slider = screen.getByRole('slider', { name: 'VRAM threshold slider (GB)' });
    expect(slider.getAttribute('max')).toBe('24');
    fireEvent.change(slider, { target: { value: '20' } });
    expect(numberInput('VRAM threshold (GB)').value).toBe('20');
    await user.clear(numberInput('VRAM threshold (GB)'));
    await user.type(numberInput('VRAM threshold (GB)'), '30');
    expect((slider as HTMLInputElement).value).toBe('24');
    expect(describedBy(numberInput('VRAM threshold (GB)'))).toContain(
      '! above the detected VRAM (24 GB): jobs that large cannot run here',
    );
  });

  it('does not warn about the threshold where no VRAM was detected', async () => {
    const { user } = renderSettings(idleSnapshot({ vramTotalGb: 0, gpus: [] }));
    await user.clear(numberInput('VRAM threshold (GB)'));
    await user.type(numberInput('VRAM threshold (GB)'), '80');
    expect(describedBy(numberInput('VRAM threshold (GB)')).join()).not.toContain('above');
  });
});

describe('registration', () => {
  it('registers with a new bootstrap token and forgets the typed token', async () => {
    const { user, bridge } = renderSettings(
      idleSnapshot({ registration: { kind: 'unregistered' } }),
    );
    bridge.answer = () => ({ ok: true, message: 'registered as worker w-99' });
    const token = screen.getByLabelText('Bootstrap token') as HTMLInputElement;
    await user.type(token, 'new-token');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(settingsSent(bridge.sent)).toEqual([{ type: 'register', bootstrapToken: 'new-token' }]);
    await waitFor(() =>
      expect(answerBeside('Register')).toEqual({ text: 'registered as worker w-99', error: false }),
    );
    expect(token.value).toBe('');
  });

  it('registers against a changed studio URL', async () => {
    const { user, bridge } = renderSettings();
    await user.clear(input('Studio API URL'));
    await user.type(input('Studio API URL'), 'http://127.0.0.1:9790');
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(settingsSent(bridge.sent)).toEqual([
      { type: 'register', apiBaseUrl: 'http://127.0.0.1:9790' },
    ]);
  });

  it('asks before resetting the registration', async () => {
    const { user, bridge } = renderSettings();
    await user.click(screen.getByRole('button', { name: 'Reset registration…' }));
    const confirm = screen.getByRole('group', { name: /Reset registration\?/ });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(settingsSent(bridge.sent)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Reset registration…' }));
    await user.click(screen.getByRole('button', { name: 'Yes, reset registration' }));
    expect(settingsSent(bridge.sent)).toEqual([{ type: 'resetRegistration' }]);
  });
});
