import { describe, expect, it } from 'vitest';
import { findKeyLine } from '../../../src/core/config/key-line.js';

const TEXT = [
  '# settings', // 1
  'engine = "multi"', // 2
  '"vram_threshold_gb" = -1', // 3
  '', // 4
  '[[engines]]', // 5
  'heartbeat_secs = 1', // 6 (not the schedule's)
  '[[engines]]', // 7
  'kind = "openai"', // 8
  '[schedule]', // 9
  'claim_idle_secs = 5', // 10
  'heartbeat_secs = -1', // 11
].join('\n');

describe('findKeyLine', () => {
  it('finds a top-level key', () => {
    expect(findKeyLine(TEXT, 'engine')).toBe(2);
  });

  it('finds a quoted top-level key', () => {
    expect(findKeyLine(TEXT, 'vram_threshold_gb')).toBe(3);
  });

  it('finds a key inside its table, not a same-named key in another table', () => {
    expect(findKeyLine(TEXT, 'schedule.heartbeat_secs')).toBe(11);
  });

  it('finds the n-th [[engines]] header for engines.n', () => {
    expect(findKeyLine(TEXT, 'engines.1')).toBe(7);
  });

  it('finds a dotted key written at the top level', () => {
    const text = 'schedule.claim_idle_secs = 1\nschedule.heartbeat_secs = -1\n';
    expect(findKeyLine(text, 'schedule.heartbeat_secs')).toBe(2);
  });

  it('finds an inline table that holds the key', () => {
    expect(
      findKeyLine('a = 1\nschedule = { heartbeat_secs = -1 }\n', 'schedule.heartbeat_secs'),
    ).toBe(2);
  });

  it('points at the table header when the key itself is not in the file', () => {
    expect(findKeyLine(TEXT, 'schedule.backoff_max_secs')).toBe(9);
  });

  it('returns undefined for a key that is nowhere', () => {
    expect(findKeyLine(TEXT, 'spool_dir')).toBeUndefined();
  });
});
