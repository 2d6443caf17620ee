import { describe, expect, it } from 'vitest';
import {
  describeState,
  formatCheckOutcome,
  formatDuration,
  formatStatus,
} from '../../../src/core/runtime/format.js';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';

function snapshot(patch: Parameters<WorkerObservers['set']>[0] = {}) {
  const o = new WorkerObservers(
    {
      agentVersion: '1.2.3',
      apiBaseUrl: 'http://127.0.0.1:9790',
      configPath: '/home/a/config.toml',
      engine: 'synthetic',
    },
    () => '2026-11-28',
  );
  o.set({
    registration: { kind: 'registered', workerId: 'w-1' },
    connection: { kind: 'online' },
    ...patch,
  });
  return o;
}

describe('formatDuration', () => {
  it('writes seconds, minutes with padded seconds, and hours with minutes', () => {
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(184_000)).toBe('3m 04s');
    expect(formatDuration(4_320_000)).toBe('1h 12m');
  });
});

describe('describeState', () => {
  it('says idle when registered, online and enabled', () => {
    expect(describeState(snapshot().snapshot())).toBe('idle, waiting for jobs');
  });

  it('says paused when claiming is disabled', () => {
    expect(describeState(snapshot({ enabled: false }).snapshot())).toBe('paused: disabled');
  });

  it('gives the offline reason', () => {
    expect(
      describeState(
        snapshot({ connection: { kind: 'offline', reason: 'connection refused' } }).snapshot(),
      ),
    ).toBe('offline: connection refused');
  });

  it('names the running job', () => {
    const o = snapshot();
    o.jobStarted({
      id: 'j9',
      kind: 'llm',
      model: 'llama',
      promptPreview: 'hi',
      startedAt: '2026-11-28T00:00:00.000Z',
    });
    expect(describeState(o.snapshot())).toBe('running llm job j9 (llama)');
  });

  it("adds the running job's progress, and ignores progress for a job that is not running", () => {
    const o = snapshot();
    o.jobStarted({
      id: 'j9',
      kind: 'image',
      model: 'sdxl',
      promptPreview: 'hi',
      startedAt: '2026-11-28T00:00:00.000Z',
    });
    const at = '2026-11-28T00:00:05.000Z';
    o.jobProgress('other', { done: 1, total: 2, unit: 'steps', stage: null, updatedAt: at });
    expect(describeState(o.snapshot())).toBe('running image job j9 (sdxl)');
    o.jobProgress('j9', {
      done: 0,
      total: null,
      unit: 'steps',
      stage: 'queued in ComfyUI, 2 ahead',
      updatedAt: at,
    });
    expect(describeState(o.snapshot())).toBe(
      'running image job j9 (sdxl), queued in ComfyUI, 2 ahead',
    );
    o.jobProgress('j9', {
      done: 12,
      total: 20,
      unit: 'steps',
      stage: 'KSampler (node 3)',
      updatedAt: at,
    });
    expect(describeState(o.snapshot())).toBe('running image job j9 (sdxl), step 12/20');
  });

  it("lists the devices the engine's server reports", () => {
    const s = snapshot({
      engineHealth: {
        reachable: true,
        models: [],
        error: null,
        checkedAt: '2026-11-28T00:00:00.000Z',
        devices: [
          { name: 'cuda:0 NVIDIA GeForce RTX 4090', vramTotalGb: 23.99, vramFreeGb: 18.63 },
        ],
      },
    }).snapshot();
    expect(formatStatus(s, Date.parse('2026-11-28T00:00:00.000Z'))).toContain(
      'engine device:  cuda:0 NVIDIA GeForce RTX 4090 (18.63 of 23.99 GB free)',
    );
  });

  it('says credentials rejected before anything else but stopping', () => {
    const s = snapshot({
      registration: { kind: 'credentials-rejected', message: 'heartbeat failed: 401' },
    }).snapshot();
    expect(describeState(s)).toBe('credentials rejected: heartbeat failed: 401');
  });
});

describe('formatStatus', () => {
  it('shows studio, worker id, threshold, counters and config path', () => {
    const text = formatStatus(
      snapshot({ vramThresholdGb: 12 }).snapshot(),
      Date.parse('2026-11-28T00:00:00Z'),
    );
    expect(text).toContain('studio:         http://127.0.0.1:9790');
    expect(text).toContain('worker id:      w-1');
    expect(text).toContain('VRAM threshold: 12 GB');
    expect(text).toContain('jobs today:     0 completed, 0 failed');
    expect(text).toContain('config:         /home/a/config.toml');
  });

  it('keeps a job id, model or error with line breaks on its own line', () => {
    const plain = formatStatus(snapshot().snapshot()).split('\n').length;
    const o = snapshot({ lastError: 'claim failed\nstate:          idle, waiting for jobs' });
    o.jobStarted({
      id: 'j9\r\nstate:          idle',
      kind: 'llm',
      model: 'llama\u2028x',
      promptPreview: 'hi',
      startedAt: '2026-11-28T00:00:00.000Z',
    });
    const text = formatStatus(o.snapshot());
    expect(text.split('\n')).toHaveLength(plain + 1); // + the "last error" line
    expect(text).toContain('running llm job j9\\r\\nstate:          idle (llama\\u2028x)');
    expect(text).toContain('last error:     claim failed\\nstate:');
  });

  it('shows where an in-process engine computes: its backend and devices', () => {
    const o = snapshot();
    const health = {
      reachable: true,
      models: ['m'],
      error: null,
      checkedAt: '2026-11-28T00:00:00Z',
    };
    o.set({
      engineHealth: {
        ...health,
        backend: 'CUDA',
        devices: [{ name: 'NVIDIA GeForce RTX 4090', vramTotalGb: null, vramFreeGb: null }],
      },
    });
    expect(formatStatus(o.snapshot())).toContain(
      'engine:         synthetic (CUDA: NVIDIA GeForce RTX 4090)',
    );
    o.set({ engineHealth: { ...health, backend: 'CPU', devices: [] } });
    expect(formatStatus(o.snapshot())).toContain('engine:         synthetic (CPU)\n');
  });
});

describe('formatCheckOutcome', () => {
  it('says plainly what an update check found', () => {
    expect(formatCheckOutcome({ kind: 'up-to-date', currentVersion: '1.2.3' })).toBe(
      'up to date (1.2.3)',
    );
    expect(formatCheckOutcome({ kind: 'available', version: '1.3.0', url: 'https://x/r' })).toBe(
      'a newer release is available: 1.3.0 — https://x/r',
    );
    expect(formatCheckOutcome({ kind: 'check-error', error: 'timeout' })).toBe(
      'update check failed: timeout',
    );
    expect(formatCheckOutcome({ kind: 'disabled' })).toContain('disabled');
  });
});

describe('logStartupBanner', () => {
  it('logs where the settings come from and never a secret', async () => {
    const { logStartupBanner } = await import('../../../src/core/runtime/format.js');
    const { createLogger } = await import('../../../src/core/runtime/log.js');
    const { defaultConfig } = await import('../../../src/core/config/defaults.js');
    const lines: string[] = [];
    const log = createLogger({
      sinks: [(e) => lines.push(e.message)],
      secrets: () => [],
      clock: { now: () => 0 },
    });
    const config = {
      ...defaultConfig(),
      worker_id: 'w-9',
      auth_token: 'auth-secret-5',
      bootstrap_token: 'boot-secret-6',
    };
    logStartupBanner(log, { configPath: '/etc/sw/config.toml', config, agentVersion: '1.2.3' });
    const text = lines.join('\n');
    for (const expected of [
      'Studio Worker 1.2.3',
      '/etc/sw/config.toml',
      'http://localhost:9790',
      'vram threshold: 12 GB',
      'worker id: w-9',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('secret');
  });
});
