import { describe, expect, it } from 'vitest';
import type { RecentJob } from '../../../src/shared/snapshot.js';
import {
  LOG_RING_CAP,
  PROMPT_PREVIEW_CHARS,
  RECENT_JOBS_CAP,
} from '../../../src/core/runtime/constants.js';
import { Ring, WorkerObservers, promptPreview } from '../../../src/core/runtime/observers.js';
import { noteStudioError, noteStudioSuccess } from '../../../src/core/runtime/studio-state.js';

function observers(day = () => '2026-11-28') {
  return new WorkerObservers(
    {
      agentVersion: '1.0.0',
      apiBaseUrl: 'http://127.0.0.1:1',
      configPath: '/c.toml',
      engine: 'synthetic',
    },
    day,
  );
}

function recent(id: string, outcome: RecentJob['outcome'] = { kind: 'completed' }): RecentJob {
  return {
    id,
    kind: 'image',
    model: 'm',
    promptPreview: 'p',
    startedAt: '2026-11-28T00:00:00.000Z',
    finishedAt: '2026-11-28T00:00:01.000Z',
    durationMs: 1000,
    outcome,
  };
}

describe('promptPreview', () => {
  it('keeps a prompt of up to 200 characters as it is', () => {
    const prompt = 'a'.repeat(PROMPT_PREVIEW_CHARS);
    expect(promptPreview(prompt)).toBe(prompt);
  });

  it('cuts longer prompts at 200 characters and adds an ellipsis', () => {
    expect(promptPreview('b'.repeat(250))).toBe('b'.repeat(200) + '…');
  });

  it('counts characters, not UTF-16 units, so emoji are never split', () => {
    const preview = promptPreview('🦊'.repeat(201));
    expect(Array.from(preview)).toHaveLength(201);
    expect(preview.endsWith('🦊…')).toBe(true);
  });
});

describe('Ring', () => {
  it('keeps the newest items first and drops the oldest past its cap', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([5, 4, 3]);
  });
});

describe('WorkerObservers', () => {
  it('caps recent jobs at 50, newest first', () => {
    const o = observers();
    for (let i = 0; i < RECENT_JOBS_CAP + 10; i += 1) o.jobFinished(recent(`j${i}`));
    const jobs = o.snapshot().recentJobs;
    expect(jobs).toHaveLength(RECENT_JOBS_CAP);
    expect(jobs[0]?.id).toBe(`j${RECENT_JOBS_CAP + 9}`);
  });

  it('caps the log ring at 1000 entries, keeping the latest', () => {
    const o = observers();
    for (let i = 0; i < LOG_RING_CAP + 5; i += 1) {
      o.addLog({ ts: '2026-11-28T00:00:00.000Z', level: 'info', category: 't', message: `m${i}` });
    }
    const logs = o.snapshot().logs;
    expect(logs).toHaveLength(LOG_RING_CAP);
    expect(logs.at(-1)?.message).toBe(`m${LOG_RING_CAP + 4}`);
    expect(logs[0]?.message).toBe('m5');
  });

  it('returns the same snapshot object until something changes', () => {
    const o = observers();
    const first = o.snapshot();
    expect(o.snapshot()).toBe(first);
    o.set({ enabled: false });
    expect(o.snapshot()).not.toBe(first);
    expect(o.snapshot().enabled).toBe(false);
  });

  it('does not notify subscribers when a set changes nothing', () => {
    const o = observers();
    let calls = 0;
    o.subscribe(() => (calls += 1));
    o.set({ enabled: true });
    o.set({ connection: { kind: 'unknown' } });
    expect(calls).toBe(0);
    o.set({ connection: { kind: 'online' } });
    expect(calls).toBe(1);
  });

  it('clears the current job and counts the outcome when a job finishes', () => {
    const o = observers();
    o.jobStarted({
      id: 'j1',
      kind: 'llm',
      model: 'm',
      promptPreview: 'p',
      startedAt: '2026-11-28T00:00:00.000Z',
    });
    expect(o.snapshot().currentJob?.id).toBe('j1');
    o.jobFinished(recent('j1'));
    o.jobFinished(recent('j2', { kind: 'failed', error: 'boom', retryable: true }));
    const s = o.snapshot();
    expect(s.currentJob).toBeNull();
    expect(s.counters).toEqual({ day: '2026-11-28', completed: 1, failed: 1 });
  });

  it('starts the day counters from zero on a new day', () => {
    let day = '2026-11-28';
    const o = observers(() => day);
    o.jobFinished(recent('j1'));
    day = '2026-11-29';
    o.jobFinished(recent('j2'));
    expect(o.snapshot().counters).toEqual({ day: '2026-11-29', completed: 1, failed: 0 });
  });

  it('produces a snapshot that survives a JSON round trip unchanged', () => {
    const o = observers();
    o.jobFinished(recent('j1'));
    const s = o.snapshot();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('last error', () => {
  it('carries the time it was recorded and goes once the studio answers again', () => {
    let now = Date.parse('2026-11-28T10:00:00.000Z');
    const o = new WorkerObservers(
      { agentVersion: '1', apiBaseUrl: 'http://127.0.0.1:1', configPath: '/c', engine: 'e' },
      () => '2026-11-28',
      () => now,
    );
    const lines: string[] = [];
    const ctx = {
      observers: o,
      config: () => ({ worker_id: 'w-1' }) as never,
      log: {
        redact: (m: string) => m,
        info: (_c: string, m: string) => lines.push(m),
        warn: (_c: string, m: string) => lines.push(m),
        error: (_c: string, m: string) => lines.push(m),
      } as never,
    };
    noteStudioError(ctx, new Error('claim answered 400: bad capabilities'));
    expect(o.snapshot()).toMatchObject({
      lastError: 'claim answered 400: bad capabilities',
      lastErrorAt: '2026-11-28T10:00:00.000Z',
    });
    now += 60_000;
    noteStudioSuccess(ctx);
    expect(o.snapshot()).toMatchObject({ lastError: null, lastErrorAt: null });
  });
});
