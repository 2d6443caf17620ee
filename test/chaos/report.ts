// The chaos suite's results table: printed for people, written as JSON for the README figures.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILE = path.resolve('test-artifacts', 'chaos-results.json');

/** Records one figure (merged into test-artifacts/chaos-results.json) and prints it. */
export async function report(
  section: string,
  figures: Record<string, number | string>,
): Promise<void> {
  await mkdir(path.dirname(FILE), { recursive: true });
  let all: Record<string, Record<string, number | string>> = {};
  try {
    all = JSON.parse(await readFile(FILE, 'utf8')) as typeof all;
  } catch {
    // First section of this run.
  }
  all[section] = figures;
  await writeFile(FILE, JSON.stringify(all, null, 2) + '\n');
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  process.stdout.write(`\n[${section}]\n${lines.join('\n')}\n`);
}

/** `--big` (npm run test:chaos -- --big) or CHAOS_BIG=1 selects the large sizes. */
export const BIG = process.env.CHAOS_BIG === '1';
