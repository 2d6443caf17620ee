import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/runtime/clock.js';
import { createHolds } from '../../../src/core/runtime/holds.js';
import { manualClock } from '../../helpers/manual-clock.js';
import type { LogEntry } from '../../../src/shared/snapshot.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';

function setup() {
  const observers = new WorkerObservers(
    {
      agentVersion: '1.0.0',
      apiBaseUrl: 'http://127.0.0.1:1',
      configPath: '/c.toml',
      engine: 'synthetic',
    },
    () => '2026-12-04',
  );
  const lines: LogEntry[] = [];
  const log = createLogger({
    sinks: [(e) => lines.push(e)],
    secrets: () => [],
    clock: systemClock,
  });
  let wakes = 0;
  // 12:00 local time, so the snooze's "until" is predictable.
  const clock = manualClock(new Date(2026, 11, 4, 12, 0).getTime());
  const holds = createHolds({ observers, log, clock, wake: () => void (wakes += 1) });
  return { observers, holds, lines, clock, wakes: () => wakes };
}

describe('holds', () => {
  it('the status shows the first held reason, and the next one once that is released', () => {
    const { observers, holds } = setup();
    holds.hold('suspend', 'system is going to sleep');
    holds.hold('presence', 'on battery');
    expect(holds.pausedReason()).toBe('system is going to sleep');
    expect(observers.snapshot().pausedReason).toBe('system is going to sleep');
    holds.hold('suspend', null);
    expect(holds.pausedReason()).toBe('on battery');
    expect(observers.snapshot().pausedReason).toBe('on battery');
    holds.hold('presence', null);
    expect(holds.pausedReason()).toBeNull();
    expect(observers.snapshot().pausedReason).toBeNull();
    expect([...holds.reasons.keys()]).toEqual([]);
  });

  it('wakes the loops and logs only when a hold really changes', () => {
    const { holds, lines, wakes } = setup();
    holds.hold('presence', 'on battery');
    holds.hold('presence', 'on battery');
    holds.hold('spool', null);
    expect(wakes()).toBe(1);
    expect(lines.map((l) => l.message)).toEqual(['paused: on battery']);
  });

  it('a snooze holds claiming until it is ended with 0', () => {
    const { observers, holds } = setup();
    holds.snooze(60);
    expect(holds.pausedReason()).toBe('snoozed until 13:00');
    expect(observers.snapshot().snoozedUntil).toBe(new Date(2026, 11, 4, 13, 0).toISOString());
    holds.snooze(0);
    expect(holds.pausedReason()).toBeNull();
    expect(observers.snapshot().snoozedUntil).toBeNull();
    holds.dispose();
  });

  it('a hold given a time releases itself then, and a newer hold of the source replaces it', async () => {
    const { holds, clock } = setup();
    holds.hold('gpu-busy', 'GPU out of memory: waiting 30 s', 30_000);
    await clock.advance(20_000);
    holds.hold('gpu-busy', 'GPU out of memory: waiting 30 s', 30_000);
    await clock.advance(20_000); // the first hold's time is over, the second's is not
    expect(holds.pausedReason()).toBe('GPU out of memory: waiting 30 s');
    await clock.advance(10_000);
    expect(holds.pausedReason()).toBeNull();
    holds.hold('gpu-busy', 'GPU out of memory', 5_000);
    holds.dispose();
    await clock.advance(5_000);
    expect(holds.pausedReason()).toBe('GPU out of memory'); // a stopped worker's timers are gone
  });
});
