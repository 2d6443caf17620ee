// `npm run bench`: runs the measurements one after another, prints the table and writes
// bench/results.json. A benchmark, not a test: a miss is reported, never a failure; only a
// measurement that cannot run sets a non-zero exit code.
//
//   node dist/bench/run.js [--quick] [--only id,id] [--out path] [--markdown]
//   node dist/bench/run.js --show bench/results.json [--markdown]   (print a saved run's table)
//   … --compare <earlier results.json>   (after the table: every figure before and after)
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bigResults } from './big-results.js';
import { compareTable, parseResults } from './compare.js';
import { idleCost } from './idle-cost.js';
import { jobOverhead } from './job-overhead.js';
import { logShipping } from './log-shipping.js';
import type { Measurement } from './measurement.js';
import type { BenchResults, MachineInfo, MeasurementResult } from './results.js';
import { startUp } from './start-up.js';
import { markdownTable, resultsTable } from './table.js';
import { uiFeed } from './ui-feed.js';

const MEASUREMENTS: Measurement[] = [
  jobOverhead,
  idleCost,
  bigResults,
  uiFeed,
  logShipping,
  startUp,
];

const DEFAULT_OUT = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

const loadAverage = () => Number(os.loadavg()[0]!.toFixed(2));

function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (line?.[1]) cpuModel = line[1].trim();
  } catch {
    // Not Linux: os.cpus() is what there is.
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel,
    nodeVersion: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    totalMemoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    loadAverage: { start: loadAverage(), end: NaN },
  };
}

function parse() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      show: { type: 'string' },
      compare: { type: 'string' },
    },
  });
  const ids = values.only?.split(',').map((s) => s.trim()) ?? MEASUREMENTS.map((m) => m.id);
  const unknown = ids.filter((id) => !MEASUREMENTS.some((m) => m.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown measurement(s): ${unknown.join(', ')} — choose from ${MEASUREMENTS.map((m) => m.id).join(', ')}`,
    );
  }
  return {
    quick: values.quick,
    selected: MEASUREMENTS.filter((m) => ids.includes(m.id)),
    out: path.resolve(values.out ?? DEFAULT_OUT),
    markdown: values.markdown,
    show: values.show,
    compare: values.compare,
  };
}

async function main(): Promise<number> {
  const { quick, selected, out, markdown, show, compare } = parse();
  const table = (r: BenchResults) => (markdown ? markdownTable(r) : resultsTable(r));
  // Read before the run: a wrong path should not cost a whole bench run to find out.
  const earlier =
    compare === undefined ? undefined : parseResults(await readFile(compare, 'utf8'), compare);
  if (show !== undefined) {
    const shown = parseResults(await readFile(show, 'utf8'), show);
    console.log(earlier ? compareTable(earlier, shown) : table(shown));
    return 0;
  }
  const machine = machineInfo();
  const started = performance.now();
  console.log(
    `studio-worker bench${quick ? ' (quick)' : ''}: ${machine.cpus} × ${machine.cpuModel}, ` +
      `Node ${machine.nodeVersion}, load average ${machine.loadAverage.start}`,
  );
  const measurements: MeasurementResult[] = [];
  for (const m of selected) {
    console.log(`${m.title}`);
    const t0 = performance.now();
    const progress = (line: string) => console.log(`  · ${line}`);
    try {
      const output = await m.run({ quick, progress });
      measurements.push({
        id: m.id,
        title: m.title,
        durationMs: performance.now() - t0,
        ...output,
      });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`  ${m.id} failed: ${message}`);
      measurements.push({
        id: m.id,
        title: m.title,
        durationMs: performance.now() - t0,
        metrics: [],
        details: {},
        error: message,
      });
    }
  }
  const results: BenchResults = {
    version: 1,
    quick,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: performance.now() - started,
    machine: { ...machine, loadAverage: { ...machine.loadAverage, end: loadAverage() } },
    measurements,
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  console.log('');
  console.log(table(results));
  console.log(
    `\n${(results.durationMs / 1000).toFixed(0)} s, load average ${results.machine.loadAverage.start}` +
      ` → ${results.machine.loadAverage.end}; results in ${out}`,
  );
  if (earlier) console.log(`\n${compareTable(earlier, results)}`);
  return measurements.some((m) => m.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
