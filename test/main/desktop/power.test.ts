import { describe, expect, it, vi } from 'vitest';
import { followPower, SUSPEND_HOLD } from '../../../src/main/desktop/power.js';
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
});
