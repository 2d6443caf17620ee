// The console table: one line per figure with its value, its target, the ratio to the target,
// pass/miss (or info for figures shown for context) and a note.
import type { BenchResults, Metric } from './results.js';

/** About three significant digits, without trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 4;
  return String(Number(value.toFixed(decimals)));
}

function withUnit(value: number, unit: string): string {
  return unit === '×' ? `${formatNumber(value)}×` : `${formatNumber(value)} ${unit}`;
}

function targetText(m: Metric): string {
  if (!m.target) return '';
  return `${m.target.op === '<=' ? '≤' : '≥'} ${withUnit(m.target.value, m.unit)}`;
}

const COLUMNS = ['figure', 'value', 'target', 'vs target', 'result', 'note'] as const;

export function resultsTable(results: BenchResults): string {
  const rows: string[][] = [];
  const headings: number[] = [];
  for (const m of results.measurements) {
    headings.push(rows.length);
    rows.push([m.title + (m.error ? ` — FAILED: ${m.error.split('\n')[0]}` : '')]);
    for (const x of m.metrics) {
      rows.push([
        `  ${x.name}`,
        withUnit(x.value, x.unit),
        targetText(x),
        x.ratio === null ? '' : formatNumber(x.ratio),
        x.status,
        x.note ?? '',
      ]);
    }
  }
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.length, ...rows.filter((r) => r.length > 1).map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === 0
          ? cell.padEnd(widths[i]!)
          : i === COLUMNS.length - 1
            ? cell
            : cell.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map((r, i) => (headings.includes(i) ? r[0]! : line(r)))].join(
    '\n',
  );
}

/** The same table in Markdown, for the README's Performance section. */
export function markdownTable(results: BenchResults): string {
  const out = [
    '| figure | value | target | vs target | result | note |',
    '| --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const m of results.measurements) {
    out.push(`| **${m.title}**${m.error ? ' (failed)' : ''} | | | | | |`);
    for (const x of m.metrics) {
      out.push(
        `| ${x.name} | ${withUnit(x.value, x.unit)} | ${targetText(x)} | ${x.ratio === null ? '' : formatNumber(x.ratio)} | ${x.status} | ${x.note ?? ''} |`,
      );
    }
  }
  return out.join('\n');
}
