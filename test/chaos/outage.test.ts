// Outage: the studio disappears for a while. The worker must not hammer it, must say it is
// offline and why, and must be back to work within one backoff period once the studio returns.
import { describe, expect, it } from 'vitest';
import { eventually, FAST_SCHEDULE, startHarness } from '../helpers/harness.js';
import { report } from './report.js';

const BACKOFF_CAP_S = 1;
const OUTAGE_MS = 4_000;

describe('chaos: studio outage', () => {
  it('backs off during an outage, shows offline, and resumes within one backoff period', async () => {
    const h = await startHarness({
      config: {
        schedule: { ...FAST_SCHEDULE, claim_idle_secs: 0.05, backoff_max_secs: BACKOFF_CAP_S },
      },
    });
    try {
      // Real time: this chaos test measures how soon a real worker recovers from a real outage.
      await new Promise((r) => setTimeout(r, 300)); // real time: the worker settles in first
      h.sim.setFaults({ outage: true });
      const outageStart = Date.now();
      await new Promise((r) => setTimeout(r, OUTAGE_MS)); // real time: the outage lasts this long
      const snap = h.worker.observers.snapshot();
      expect(snap.connection.kind).toBe('offline');
      if (snap.connection.kind === 'offline')
        expect(snap.connection.reason).toContain('could not reach the studio');

      // Requests per loop per second over the last two seconds of the outage, once backoff has
      // reached its cap. Healthy, the claim loop alone asks 20 times a second.
      const window = h.sim
        .requests()
        .filter((r) => r.at >= outageStart + OUTAGE_MS - 2_000 && r.at < outageStart + OUTAGE_MS);
      const perLoop = ['claim', 'heartbeat', 'logs'].map(
        (route) => window.filter((r) => r.route === route).length / 2,
      );
      const maxRate = Math.max(...perLoop);

      const id = h.sim.enqueue({ model: 'synthetic-llm', task: { kind: 'llm', messages: [] } });
      h.sim.setFaults(undefined);
      const back = Date.now();
      const sim = h.sim;
      await eventually(
        () => sim.job(id)?.state === 'completed',
        'the first job after the outage',
        10_000,
      );
      const recoveryMs = Date.now() - back;

      await report('outage', {
        'outage seconds': OUTAGE_MS / 1000,
        'backoff cap seconds': BACKOFF_CAP_S,
        'max requests per second per loop during the outage': maxRate,
        'recovery ms (studio back → first job done)': recoveryMs,
      });
      // Full jitter below a 1 s cap averages two tries a second; allow for the odd short draw.
      expect(maxRate).toBeLessThanOrEqual(5);
      expect(recoveryMs).toBeLessThanOrEqual(BACKOFF_CAP_S * 1000 + 500);
    } finally {
      await h.close();
    }
  }, 30_000);
});
