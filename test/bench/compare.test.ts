// `--compare`: two small results files on disk, read and set side by side (no bench run).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareTable, parseResults } from '../../bench/compare.js';
import type { BenchResults } from '../../bench/results.js';
import { metric } from '../../bench/results.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function results(load: number, measurements: BenchResults['measurements']): BenchResults {
  return {
    version: 1,
    quick: false,
    startedAt: '2026-12-04T10:00:00.000Z',
    durationMs: 1,
    machine: {
      cpus: 2,
      cpuModel: 'test',
      nodeVersion: 'v20',
      platform: 'linux',
      totalMemoryGb: 4,
      loadAverage: { start: load, end: load },
    },
    measurements,
  };
}

const startUp = (ms: number, extra = false) => ({
  id: 'start-up',
  title: '6. Start-up',
  durationMs: 1,
  details: {},
  metrics: [
    metric('spawn → first heartbeat acked, median', ms, 'ms', { op: '<=', value: 300 }),
    ...(extra ? [metric('start-up ÷ bare Node start', ms / 100, '×')] : []),
  ],
});

async function roundTrip(r: BenchResults, name: string): Promise<BenchResults> {
  dir ??= await mkdtemp(path.join(os.tmpdir(), 'bench-compare-'));
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(r));
  return parseResults(await readFile(file, 'utf8'), file);
}

describe('compareTable', () => {
  it('prints every figure before and after, with the change and the result after', async () => {
    const before = await roundTrip(results(0.09, [startUp(609)]), 'before.json');
    const after = await roundTrip(results(0.12, [startUp(203)]), 'after.json');
    const table = compareTable(before, after);
    const row = table.split('\n').find((l) => l.includes('spawn → first heartbeat'));
    expect(row).toMatch(/609 ms\s+203 ms\s+-66\.7 %\s+pass$/);
    expect(table).toContain('load average 0.09');
    expect(table).toContain('load average 0.12');
  });

  it('keeps a figure or measurement only one run has, with — on the other side', async () => {
    const logs = {
      id: 'log-shipping',
      title: '5. Log shipping',
      durationMs: 1,
      details: {},
      metrics: [metric('lines reaching the studio', 4_800, 'lines/s', { op: '>=', value: 10_000 })],
    };
    const before = await roundTrip(results(0.1, [startUp(609), logs]), 'before.json');
    const after = await roundTrip(results(0.1, [startUp(300, true)]), 'after.json');
    const lines = compareTable(before, after).split('\n');
    expect(lines.find((l) => l.includes('bare Node'))).toMatch(/—\s+3×\s+info$/);
    expect(lines.find((l) => l.includes('lines reaching'))).toMatch(/4800 lines\/s\s+—\s+—$/);
  });

  it('says which file is not a results file', async () => {
    expect(() => parseResults('{"version": 2}', '/tmp/old.json')).toThrow(
      /\/tmp\/old\.json is not a bench results file: results\.version: not 1/,
    );
    expect(() => parseResults('nope', 'x.json')).toThrow(/x\.json is not JSON/);
  });
});
