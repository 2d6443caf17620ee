import { describe, expect, it } from 'vitest';
import { SNAPSHOT_INTERVAL_MS } from '../../../src/core/runtime/coalescer.js';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';
import { createTrayController } from '../../../src/main/tray/tray-controller.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { FakeTray } from '../fakes.js';

function setup() {
  const observers = new WorkerObservers(
    { agentVersion: '1', apiBaseUrl: 'http://x', configPath: '/c', engine: 'synthetic' },
    () => '2026-11-28',
  );
  const tray = new FakeTray('idle.png');
  const clock = manualClock(1_000);
  const controller = createTrayController({
    tray,
    worker: { observers },
    iconPath: (name) => `${name}.png`,
    onAction: () => undefined,
    quitAfterJobPending: () => false,
    clock,
  });
  return { observers, tray, clock, controller };
}

describe('the tray controller', () => {
  it('applies a burst of snapshots once the interval ends, as the latest', async () => {
    const { observers, tray, clock, controller } = setup();
    const enabledMenu = JSON.stringify(tray.menu);
    observers.set({ enabled: false }); // the first change goes out at once
    expect(tray.menus).toHaveLength(2);
    observers.set({ enabled: true });
    observers.set({ enabled: false });
    observers.set({ enabled: true });
    await clock.advance(SNAPSHOT_INTERVAL_MS - 1);
    expect(tray.menus).toHaveLength(2);
    await clock.advance(1);
    expect(tray.menus).toHaveLength(3);
    expect(JSON.stringify(tray.menu)).toBe(enabledMenu);
    controller.dispose();
  });

  it('touches the tray no more once disposed, even for a change it was holding', async () => {
    const { observers, tray, clock, controller } = setup();
    observers.set({ enabled: false });
    observers.set({ enabled: true });
    controller.dispose();
    tray.destroy(); // as on quit: Electron throws on a destroyed tray
    await clock.advance(SNAPSHOT_INTERVAL_MS * 5);
    expect(tray.menus).toHaveLength(2);
  });
});
