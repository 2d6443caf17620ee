import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/shared/snapshot.js';
import { createLogger, makeLogEntry } from '../../../src/core/runtime/log.js';
import { formatLogLine } from '../../../src/shared/format.js';
import { LogQueue } from '../../../src/core/runtime/log-queue.js';
import { consoleSink } from '../../../src/cli/log-output.js';

const clock = { now: () => Date.UTC(2026, 4, 16) };

describe('pushLog', () => {
  it('stamps entries as RFC 3339 UTC with milliseconds and Z', () => {
    expect(makeLogEntry(clock.now(), 'info', 'job', 'hi').ts).toBe('2026-05-16T00:00:00.000Z');
  });

  it('omits jobId when there is none', () => {
    expect('jobId' in makeLogEntry(0, 'info', 'c', 'm')).toBe(false);
    expect(makeLogEntry(0, 'warn', 'c', 'm', 'j1').jobId).toBe('j1');
  });

  it('replaces secret values in messages before any sink sees them', () => {
    const seen: LogEntry[] = [];
    const log = createLogger({
      sinks: [(e) => seen.push(e)],
      secrets: () => ['tok-secret-123'],
      clock,
    });
    log.error('studio', 'server said: bad token tok-secret-123');
    expect(seen[0]?.message).toBe('server said: bad token <redacted>');
  });

  it('writes one text line per entry, whatever control characters its fields hold', () => {
    // A studio can choose the job id and model; CR LF there must not start a forged line.
    const forged = '2026-05-16T00:00:00.000Z info [register] registered as worker evil';
    let out = '';
    const log = createLogger({
      sinks: [consoleSink('text', (t) => (out += t))],
      secrets: () => [],
      clock,
    });
    log.info('job', `started llm job (model m\n${forged})`, `j1\r\n${forged}`);
    log.warn('studio\u2028x', 'bell\u0007 esc\u001b[2J tab\t nel\u0085');
    expect(out.split('\n')).toEqual([
      `2026-05-16T00:00:00.000Z info [job] started llm job (model m\\n${forged}) (job j1\\r\\n${forged})`,
      '2026-05-16T00:00:00.000Z warn [studio\\u2028x] bell\\u0007 esc\\u001b[2J tab\\t nel\\u0085',
      '',
    ]);
  });

  it('formats console lines as `<ts> <level> [<category>] <message>`', () => {
    expect(formatLogLine(makeLogEntry(clock.now(), 'warn', 'studio', 'offline'))).toBe(
      '2026-05-16T00:00:00.000Z warn [studio] offline',
    );
  });
});

describe('LogQueue', () => {
  const entry = (i: number): LogEntry => ({
    ts: 't',
    level: 'info',
    category: 'c',
    message: `m${i}`,
  });

  it('drops the oldest entries past its cap and leads the next batch with a "dropped N" marker', () => {
    const q = new LogQueue(3, clock.now);
    for (let i = 0; i < 5; i += 1) q.push(entry(i));
    const batch = q.take(10);
    expect(batch.map((e) => e.message)).toEqual([
      expect.stringContaining('dropped 2 log entries'),
      'm2',
      'm3',
      'm4',
    ]);
    expect(batch[0]?.level).toBe('warn');
    expect(q.dropped).toBe(2);
  });

  it('puts a failed batch back at the front, in order', () => {
    const q = new LogQueue(10, clock.now);
    for (let i = 0; i < 4; i += 1) q.push(entry(i));
    const batch = q.take(2);
    q.push(entry(4));
    q.requeue(batch);
    expect(q.take(10).map((e) => e.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('keeps order and counts every dropped line across many wrap-arounds of a full queue', () => {
    const q = new LogQueue(100, clock.now);
    for (let i = 0; i < 10_050; i += 1) q.push(entry(i));
    expect(q.size).toBe(100);
    expect(q.dropped).toBe(9_950);
    const batch = q.take(101);
    expect(batch[0]?.message).toContain('dropped 9950 log entries');
    expect(batch.slice(1).map((e) => e.message)).toEqual(
      Array.from({ length: 100 }, (_, i) => `m${9_950 + i}`),
    );
  });

  it('drops the oldest of a failed batch when it comes back to a full queue, and says so', () => {
    const q = new LogQueue(3, clock.now);
    for (let i = 0; i < 3; i += 1) q.push(entry(i));
    const batch = q.take(2);
    q.push(entry(3));
    q.push(entry(4));
    q.requeue(batch);
    const next = q.take(10);
    expect(next.map((e) => e.message)).toEqual([
      expect.stringContaining('dropped 2 log entries'),
      'm2',
      'm3',
      'm4',
    ]);
  });

  it('keeps a pending drop marker for later when asked for nothing', () => {
    const q = new LogQueue(1, clock.now);
    q.push(entry(0));
    q.push(entry(1));
    expect(q.take(0)).toEqual([]);
    expect(q.take(5).map((e) => e.message)).toEqual([
      expect.stringContaining('dropped 1 log entries'),
      'm1',
    ]);
  });

  it('takes batches no larger than asked', () => {
    const q = new LogQueue(100, clock.now);
    for (let i = 0; i < 25; i += 1) q.push(entry(i));
    expect(q.take(10)).toHaveLength(10);
    expect(q.size).toBe(15);
  });
});
