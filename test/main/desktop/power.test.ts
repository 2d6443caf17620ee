import { describe, expect, it, vi } from 'vitest';
import { desktopPresence, followPower, SUSPEND_HOLD } from '../../../src/main/desktop/power.js';
import { FakePowerMonitor } from '../fakes.js';

describe('followPower', () => {
  it('holds claiming on suspend, and on resume releases it and heartbeats at once', () => {
    const power = new FakePowerMonitor();
    const worker = { hold: vi.fn(), wake: vi.fn() };
    followPower(power, worker);
    power.suspend();
    expect(worker.hold).toHaveBeenLastCalledWith(SUSPEND_HOLD, 'system is going to sleep');
    expect(worker.wake).not.toHaveBeenCalled();
    power.resume();
    expect(worker.hold).toHaveBeenLastCalledWith(SUSPEND_HOLD, null);
    expect(worker.wake).toHaveBeenCalledOnce();
  });

  it('once disposed, removes its listeners and no longer holds on suspend', () => {
    const power = new FakePowerMonitor();
    const worker = { hold: vi.fn(), wake: vi.fn() };
    const following = followPower(power, worker);
    expect(power.listenerCount()).toBe(2);
    void following.dispose();
    expect(power.listenerCount()).toBe(0);
    power.suspend();
    power.resume();
    expect(worker.hold).not.toHaveBeenCalled();
  });
});

describe('desktopPresence', () => {
  it('answers idle time and power source from powerMonitor', async () => {
    const power = new FakePowerMonitor();
    const presence = desktopPresence(power);
    power.idle = 420;
    power.battery = true;
    expect(await presence.idleSeconds()).toBe(420);
    expect(await presence.onBattery()).toBe(true);
    expect(Array.isArray(await presence.processes())).toBe(true);
  });
});
