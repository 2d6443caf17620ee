// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import { StatusPage } from '../../renderer/src/pages/StatusPage';
import { clockTime } from '../../renderer/src/units';
import { ago, idleSnapshot, NOW, runningJob } from './fixtures';
import { answerBeside, facts, region } from './read-dom';
import { atFixtureTime, renderWith } from './render';

function renderStatus(snapshot: WorkerSnapshot) {
  atFixtureTime();
  return renderWith(snapshot, <StatusPage />);
}

const badge = () => screen.getByTestId('state-badge');
const stateCard = () => screen.getByRole('region', { name: 'Worker state' });

describe('status page badge', () => {
  const snoozedUntil = new Date(NOW + 45 * 60_000).toISOString();
  const cases: [string, Partial<WorkerSnapshot>, string, string | null][] = [
    ['idle', {}, 'Idle', 'Pause'],
    ['running', { currentJob: runningJob() }, 'Working', 'Pause'],
    [
      'pausing after this job',
      { currentJob: runningJob(), enabled: false },
      'Pausing after this image job…',
      'Resume',
    ],
    [
      'failing',
      {
        recentJobs: Array.from({ length: 10 }, (_, i) => ({
          ...runningJob(),
          id: `j-${i}`,
          finishedAt: ago(1_000),
          durationMs: 100,
          outcome: { kind: 'failed' as const, error: 'engine crashed', retryable: true },
        })),
      },
      'Failing',
      'Pause',
    ],
    ['cannot take jobs', { vramThresholdGb: 0 }, 'Cannot take jobs', null],
    ['disabled', { enabled: false }, 'Paused', 'Resume'],
    ['held by a pause source', { pausedReason: 'on battery' }, 'Paused', 'Pause'],
    [
      'snoozed',
      { pausedReason: 'snoozed', snoozedUntil },
      `Snoozed until ${clockTime(snoozedUntil)}`,
      'Resume',
    ],
    [
      'offline',
      { connection: { kind: 'offline', reason: 'connection refused' } },
      'Studio unreachable',
      'Pause',
    ],
    [
      'credentials rejected',
      { registration: { kind: 'credentials-rejected', workerId: 'w-17', message: '401' } },
      'Token rejected',
      'Register',
    ],
    ['unregistered', { registration: { kind: 'unregistered' } }, 'Not registered', 'Register'],
    ['registering', { registration: { kind: 'registering' } }, 'Registering…', null],
    [
      'update ready',
      { update: { kind: 'ready', version: '1.5.0' } },
      'Update ready',
      'Restart to update',
    ],
    ['draining', { draining: true }, 'Finishing up before an update', null],
    ['stopping', { stopping: true }, 'Stopping', null],
  ];

  it.each(cases)('shows the %s state with the action that fits', (_name, patch, label, action) => {
    renderStatus(idleSnapshot(patch));
    expect(badge().textContent).toContain(label);
    const buttons = within(stateCard()).queryAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(action ? [action] : []);
  });

  it.each([
    [
      'a run of failed jobs (measured: a green "Idle")',
      {
        recentJobs: Array.from({ length: 12 }, (_, i) => ({
          ...runningJob(),
          id: `j-${i}`,
          finishedAt: ago(1_000),
          durationMs: 100,
          outcome: { kind: 'failed' as const, error: 'engine crashed', retryable: true },
        })),
      },
      'Failing',
      '10 of the last 10 jobs failed: engine crashed',
    ],
    [
      'a threshold of 0 (measured: "waiting for jobs")',
      { vramThresholdGb: 0 },
      'Cannot take jobs',
      'the VRAM threshold is 0 GB, so no job fits — raise it in Settings',
    ],
  ])('shows %s as an error with the reason beside it', (_name, patch, label, detail) => {
    renderStatus(idleSnapshot(patch));
    expect(badge().textContent).toContain(label);
    expect(badge().className).toContain('tone-error');
    expect(stateCard().querySelector('.badge-detail')?.textContent).toBe(detail);
  });

  it('says since when the state began, where the worker tracked it', () => {
    const since = ago(7 * 60_000);
    renderStatus(idleSnapshot({ headline: { key: 'idle:ok', since } }));
    expect(stateCard().querySelector('.badge-since')?.textContent).toBe(
      `since ${clockTime(since)}`,
    );
  });

  it('shows the last error with the time it happened', () => {
    const at = ago(5 * 60_000);
    renderStatus(idleSnapshot({ lastError: 'claim answered 400', lastErrorAt: at }));
    expect(stateCard().querySelector('.last-error')?.textContent).toBe(
      `Last error (${clockTime(at)}): claim answered 400`,
    );
  });

  it('keeps "Working" while a job runs even when an update is ready', () => {
    renderStatus(
      idleSnapshot({ currentJob: runningJob(), update: { kind: 'ready', version: '1.5.0' } }),
    );
    expect(badge().textContent).toContain('Working');
  });

  it.each([
    ['Pause', {}, { type: 'setEnabled', enabled: false }],
    ['Resume', { enabled: false }, { type: 'setEnabled', enabled: true }],
    [
      'Resume',
      { pausedReason: 'snoozed', snoozedUntil: new Date(NOW + 60_000).toISOString() },
      { type: 'snooze', minutes: 0 },
    ],
    ['Register', { registration: { kind: 'unregistered' } }, { type: 'register' }],
    [
      'Restart to update',
      { update: { kind: 'ready', version: '2.0.0' } },
      { type: 'installUpdate' },
    ],
  ] as const)('sends the command behind %s', async (label, patch, command) => {
    const { bridge } = renderStatus(idleSnapshot(patch as Partial<WorkerSnapshot>));
    await userEvent.setup().click(screen.getByRole('button', { name: label }));
    expect(bridge.sent).toEqual([command]);
  });

  it("shows the worker's error when the action is refused", async () => {
    const { bridge } = renderStatus(idleSnapshot({ registration: { kind: 'unregistered' } }));
    bridge.answer = () => ({ ok: false, error: 'the studio refused the bootstrap token' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Register' }));
    await within(stateCard()).findByText('the studio refused the bootstrap token');
    expect(answerBeside('Register')).toEqual({
      text: 'the studio refused the bootstrap token',
      error: true,
    });
  });
});

describe('status page details', () => {
  it('shows the studio URL and worker id', () => {
    renderStatus(idleSnapshot());
    expect(facts(region('Studio'))).toMatchObject({
      'Studio URL': 'https://studio.example.com',
      'Worker id': 'w-17',
    });
  });

  it('shows a fresh heartbeat as "3 s ago"', () => {
    renderStatus(idleSnapshot());
    const hb = screen.getByTestId('heartbeat');
    expect(hb.textContent).toContain('3 s ago');
    expect(hb.className).toContain('heartbeat-ok');
  });

  it('marks a stale heartbeat differently from a fresh one', () => {
    renderStatus(
      idleSnapshot({ lastHeartbeat: { attemptedAt: ago(5 * 60_000), outcome: { kind: 'ok' } } }),
    );
    const hb = screen.getByTestId('heartbeat');
    expect(hb.textContent).toContain('5 min ago — stale');
    expect(hb.className).toContain('heartbeat-stale');
  });

  it('marks a failed heartbeat with its reason', () => {
    renderStatus(
      idleSnapshot({
        lastHeartbeat: {
          attemptedAt: ago(2_000),
          outcome: {
            kind: 'error',
            message: 'connection refused',
            transient: true,
            credentialsRejected: false,
          },
        },
      }),
    );
    const hb = screen.getByTestId('heartbeat');
    expect(hb.textContent).toContain('failed 2 s ago: connection refused');
    expect(hb.className).toContain('heartbeat-failed');
  });

  it('draws each GPU with used VRAM and the threshold marked', () => {
    const { container } = renderStatus(idleSnapshot());
    expect(region('GPU').textContent).toContain('NVIDIA GeForce RTX 4090');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'VRAM: used 6 GB, free 18 GB, total 24 GB; threshold 12 GB',
    );
    expect(container.querySelector<HTMLElement>('.vram-used')?.style.width).toBe('25%');
    expect(container.querySelector<HTMLElement>('.vram-threshold')?.style.left).toBe('50%');
  });

  it('says "No GPU detected" when the probes found none', () => {
    renderStatus(idleSnapshot({ gpus: [], vramTotalGb: 0 }));
    expect(region('GPU').textContent).toContain('No GPU detected.');
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('shows the running job with an elapsed time that ticks', async () => {
    renderStatus(idleSnapshot({ currentJob: runningJob(12_000) }));
    const card = screen.getByRole('region', { name: 'Current job' });
    expect(facts(card)).toMatchObject({ Kind: 'image', Model: 'sdxl-turbo' });
    expect(facts(card).Prompt).toContain('a lighthouse on a cliff');
    expect(within(card).getByTestId('elapsed').textContent).toContain('12s');
    vi.setSystemTime(NOW + 5_000);
    await within(card).findByText('17s', {}, { timeout: 3_000 });
    expect(within(card).getByTestId('elapsed').textContent).toBe('17s');
  });

  it("shows the running job's sampler step and what runs now", () => {
    const job = {
      ...runningJob(12_000),
      progress: {
        done: 7,
        total: 20,
        unit: 'steps',
        stage: 'KSampler (node 3)',
        updatedAt: new Date(NOW).toISOString(),
      },
    };
    renderStatus(idleSnapshot({ currentJob: job }));
    const card = screen.getByRole('region', { name: 'Current job' });
    expect(within(card).getByTestId('progress').textContent).toBe('step 7/20 · KSampler (node 3)');
  });

  it('shows the tokens the engine has generated so far for the running job', () => {
    renderStatus(
      idleSnapshot({
        currentJob: {
          ...runningJob(),
          kind: 'llm',
          progress: { unit: 'tokens', done: 12, total: 64, stage: null, updatedAt: ago(0) },
        },
      }),
    );
    const card = screen.getByRole('region', { name: 'Current job' });
    expect(within(card).getByTestId('progress').textContent).toBe('token 12/64');
  });

  it('shows the engine and, for the built-in llama engine, its backend and devices', () => {
    const health = { reachable: true, models: ['m'], error: null, checkedAt: ago(1_000) };
    renderStatus(
      idleSnapshot({
        engine: 'llama',
        engineHealth: {
          ...health,
          backend: 'CUDA',
          devices: [{ name: 'NVIDIA GeForce RTX 4090', vramTotalGb: null, vramFreeGb: null }],
        },
      }),
    );
    expect(screen.getByTestId('engine').textContent).toBe(
      'llama on CUDA (NVIDIA GeForce RTX 4090)',
    );
  });

  it('says no job is running when there is none', () => {
    renderStatus(idleSnapshot());
    expect(region('Current job').textContent).toBe('Current jobNo job running.');
  });

  it("shows today's counters and the spooled results waiting", () => {
    renderStatus(idleSnapshot({ spool: { count: 3, bytes: 5 * 1024 * 1024 } }));
    expect(screen.getByTestId('count-completed').textContent).toContain('7');
    expect(screen.getByTestId('count-failed').textContent).toContain('2');
    expect(screen.getByTestId('count-spooled').textContent).toContain('3 (5.0 MB)');
  });
});
