// `--compare <earlier results.json>`: every figure of two runs side by side — before, after and
// the change — matched by measurement id and figure name. A figure only one run has is shown with
// "—" on the other side, so nothing silently disappears from the comparison.
import type { BenchResults, Metric } from './results.js';
import { shapeProblems } from './results.js';
import { formatNumber } from './table.js';

/** Parses an earlier results file; says which file and what is wrong when it is not one. */
export function parseResults(text: string, file: string): BenchResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}): pass a bench results.json`);
  }
  // A failed measurement is still worth comparing; only the shape must hold.
  const problems = shapeProblems(value).filter((p) => !p.includes(': failed: '));
  if (problems.length > 0) {
    throw new Error(`${file} is not a bench results file: ${problems.slice(0, 3).join('; ')}`);
  }
  return value as BenchResults;
}

function change(before: Metric | undefined, after: Metric | undefined): string {
  if (!before || !after) return '';
  if (before.value === 0) return after.value === 0 ? '±0' : '';
  const pct = ((after.value - before.value) / Math.abs(before.value)) * 100;
  return `${pct >= 0 ? '+' : ''}${formatNumber(pct)} %`;
}

const valueText = (m: Metric | undefined) =>
  m === undefined
    ? '—'
    : m.unit === '×'
      ? `${formatNumber(m.value)}×`
      : `${formatNumber(m.value)} ${m.unit}`;

const COLUMNS = ['figure', 'before', 'after', 'change', 'result after'] as const;

/** The before/after table, headed by each run's date and load average. */
export function compareTable(before: BenchResults, after: BenchResults): string {
  const rows: string[][] = [];
  const ids = [...new Set([...before.measurements, ...after.measurements].map((m) => m.id))];
  for (const id of ids) {
    const b = before.measurements.find((m) => m.id === id);
    const a = after.measurements.find((m) => m.id === id);
    rows.push([(a ?? b)!.title]);
    const names = [...new Set([...(b?.metrics ?? []), ...(a?.metrics ?? [])].map((x) => x.name))];
    for (const name of names) {
      const bm = b?.metrics.find((x) => x.name === name);
      const am = a?.metrics.find((x) => x.name === name);
      rows.push([`  ${name}`, valueText(bm), valueText(am), change(bm, am), am?.status ?? '—']);
    }
  }
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.length, ...rows.filter((r) => r.length > 1).map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const run = (label: string, r: BenchResults) =>
    `${label}: ${r.startedAt}${r.quick ? ' (quick)' : ''}, load average ${r.machine.loadAverage.start}`;
  return [
    run('before', before),
    run('after ', after),
    '',
    line(COLUMNS),
    ...rows.map((r) => (r.length === 1 ? r[0]! : line(r))),
  ].join('\n');
}
