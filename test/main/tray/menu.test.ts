import { trayTooltipFor } from '../../../src/main/tray/tooltip.js';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/core/control/commands.js';
import type { TrayAction, TrayMenuItem } from '../../../src/main/tray/menu.js';
import { thresholdChoices, trayMenuFor } from '../../../src/main/tray/menu.js';
import type { WorkerSnapshot } from '../../../src/shared/snapshot.js';
import { runningJob, snapshotWith } from '../snapshots.js';

const labels = (items: TrayMenuItem[]) =>
  items.map((i) => (i.type === 'separator' ? '---' : i.label));

function find(items: TrayMenuItem[], label: string | RegExp): TrayMenuItem {
  const item = items.find(
    (i) =>
      i.type !== 'separator' &&
      (typeof label === 'string' ? i.label === label : label.test(i.label)),
  );
  if (!item) throw new Error(`no item ${String(label)} in ${labels(items).join(', ')}`);
  return item;
}

function actionOf(item: TrayMenuItem): TrayAction | undefined {
  return item.type === 'separator' || item.type === 'submenu' ? undefined : item.action;
}

function thresholdItems(s: WorkerSnapshot, detected: number): TrayMenuItem[] {
  const sub = find(trayMenuFor(s, detected), /^VRAM threshold/);
  if (sub.type !== 'submenu') throw new Error('not a submenu');
  return sub.submenu;
}

function withThreshold(gb: number): WorkerSnapshot {
  const s = snapshotWith();
  return { ...s, vramThresholdGb: gb, settings: { ...s.settings, vramThresholdGb: gb } };
}

describe('trayMenuFor', () => {
  it('offers every action, in order, under a status line', () => {
    expect(labels(trayMenuFor(snapshotWith(), 24))).toEqual([
      'Idle: waiting for jobs',
      '---',
      'Open Studio Worker',
      '---',
      'Enabled',
      'VRAM threshold: 12 GB',
      'Snooze for 1 hour',
      '---',
      'Check for updates',
      'Open logs folder',
      '---',
      'Quit after current job',
      'Quit',
    ]);
  });

  it('shows the status as a disabled line that follows the state', () => {
    const status = trayMenuFor(snapshotWith({ currentJob: runningJob() }), 24)[0];
    expect(status).toEqual({
      type: 'normal',
      label: 'Working: image job (sdxl)',
      enabled: false,
    });
  });

  it('says "Failing" in the status line when the recent jobs failed, not "Idle"', () => {
    const failed = {
      ...runningJob(),
      finishedAt: '2026-05-16T12:00:00.000Z',
      durationMs: 10,
      outcome: { kind: 'failed' as const, error: 'engine crashed', retryable: true },
    };
    const menu = trayMenuFor(snapshotWith({ recentJobs: [failed, failed, failed] }), 24);
    expect(menu[0]).toMatchObject({ label: 'Failing' });
  });

  it('has an Enabled checkbox that shows the switch and flips it', () => {
    expect(find(trayMenuFor(snapshotWith({ enabled: true }), 24), 'Enabled')).toMatchObject({
      type: 'checkbox',
      checked: true,
      action: { kind: 'command', command: { type: 'setEnabled', enabled: false } },
    });
    expect(find(trayMenuFor(snapshotWith({ enabled: false }), 24), 'Enabled')).toMatchObject({
      checked: false,
      action: { kind: 'command', command: { type: 'setEnabled', enabled: true } },
    });
  });

  it('offers thresholds from 2 GB up to the detected VRAM, the configured one checked', () => {
    const items = thresholdItems(withThreshold(12), 23.99);
    expect(labels(items)).toEqual([
      '2 GB',
      '4 GB',
      '6 GB',
      '8 GB',
      '10 GB',
      '12 GB',
      '16 GB',
      '20 GB',
      '24 GB (all of the GPU)',
      '---',
      'Custom…',
    ]);
    expect(items.filter((i) => i.type === 'radio' && i.checked).map((i) => labels([i])[0])).toEqual(
      ['12 GB'],
    );
    expect(actionOf(find(items, '8 GB'))).toEqual({
      kind: 'command',
      command: { type: 'setThreshold', gb: 8 },
    });
    expect(actionOf(find(items, 'Custom…'))).toEqual({ kind: 'open-window' });
  });

  it('offers common sizes and says so when the VRAM is not detected', () => {
    const items = thresholdItems(withThreshold(12), 0);
    expect(items[0]).toEqual({
      type: 'normal',
      label: 'GPU memory not detected: common sizes',
      enabled: false,
    });
    expect(labels(items.slice(1))).toEqual([
      '2 GB',
      '4 GB',
      '6 GB',
      '8 GB',
      '12 GB',
      '16 GB',
      '24 GB',
      '32 GB',
      '48 GB',
      '---',
      'Custom…',
    ]);
  });

  it('keeps a custom threshold in the list, checked', () => {
    const items = thresholdItems(withThreshold(11.5), 24);
    expect(find(items, '11.5 GB')).toMatchObject({ type: 'radio', checked: true });
    expect(thresholdChoices(8, 30).sizes).toEqual([2, 4, 6, 8, 30]);
  });

  it('stays the same menu when only numbers change (free VRAM, a pause reason), so it is not rebuilt', () => {
    const a = { ...withThreshold(12), vramThresholdGb: 7.1, pausedReason: 'only 7.1 GB VRAM free' };
    const b = { ...withThreshold(12), vramThresholdGb: 7.2, pausedReason: 'only 7.2 GB VRAM free' };
    expect(JSON.stringify(trayMenuFor(b, 24))).toBe(JSON.stringify(trayMenuFor(a, 24)));
  });

  it('puts the free VRAM that lowered the advertised threshold in the tooltip', () => {
    const s = { ...withThreshold(12), vramThresholdGb: 7 };
    expect(find(trayMenuFor(s, 24), /^VRAM threshold/).type).toBe('submenu');
    // The free VRAM changes with every reading: it is in the tooltip, never in the menu.
    expect(labels(trayMenuFor(s, 24))).toContain('VRAM threshold: 12 GB');
    expect(trayTooltipFor(s, 0)).toContain('7 GB VRAM free now');
  });

  it('snoozes for an hour, and offers to end a snooze', () => {
    expect(actionOf(find(trayMenuFor(snapshotWith(), 24), 'Snooze for 1 hour'))).toEqual({
      kind: 'command',
      command: { type: 'snooze', minutes: 60 },
    });
    const snoozed = snapshotWith({
      snoozedUntil: '2026-05-16T13:00:00.000Z',
      pausedReason: 'snoozed until 13:00',
    });
    expect(actionOf(find(trayMenuFor(snoozed, 24), 'Resume now (end snooze)'))).toEqual({
      kind: 'command',
      command: { type: 'snooze', minutes: 0 },
    });
  });

  it('offers Restart to update once an update is downloaded', () => {
    const ready = snapshotWith({ update: { kind: 'ready', version: '1.2.3' } });
    expect(find(trayMenuFor(ready, 24), 'Restart to update (1.2.3)')).toEqual({
      type: 'normal',
      label: 'Restart to update (1.2.3)',
      enabled: true,
      action: { kind: 'command', command: { type: 'installUpdate' } },
    });
    const downloading = snapshotWith({ update: { kind: 'downloading', version: '1.2.3' } });
    expect(find(trayMenuFor(downloading, 24), 'Downloading 1.2.3…')).toMatchObject({
      enabled: false,
    });
  });

  it('shows a pending quit after the current job, and disables it while stopping', () => {
    const running = snapshotWith({ currentJob: runningJob() });
    expect(
      find(
        trayMenuFor(running, 24, { quitAfterJobPending: true }),
        'Quitting after the current job…',
      ),
    ).toMatchObject({ enabled: false });
    expect(
      find(trayMenuFor(snapshotWith({ stopping: true }), 24), 'Quit after current job'),
    ).toMatchObject({ enabled: false });
  });

  it('has only actions the command schema accepts', () => {
    const states = [
      snapshotWith(),
      snapshotWith({ update: { kind: 'ready', version: '1.2.3' } }),
      snapshotWith({ snoozedUntil: '2026-05-16T13:00:00.000Z', pausedReason: 'snoozed' }),
      withThreshold(11.5),
    ];
    const walk = (items: TrayMenuItem[]): TrayAction[] =>
      items.flatMap((i) =>
        i.type === 'submenu'
          ? walk(i.submenu)
          : i.type === 'separator' || !i.action
            ? []
            : [i.action],
      );
    const commands = states
      .flatMap((s) => walk(trayMenuFor(s, 24)))
      .flatMap((a) => (a.kind === 'command' ? [a.command] : []));
    expect(commands.length).toBeGreaterThan(20);
    for (const c of commands) expect(parseCommand(c)).toEqual({ ok: true, command: c });
  });
});
