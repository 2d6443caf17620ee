// The shape of bench/results.json and the rule that turns a figure and its target into pass or
// miss. Imports nothing from the worker, so the smoke test can check a results file with it.

/** `value <= target` or `value >= target`. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Metric {
  name: string;
  value: number;
  unit: string;
  target: Target | null;
  /** value / target: at most 1 passes a `<=` target, at least 1 a `>=` one; null without one. */
  ratio: number | null;
  /** 'info': a figure shown for context, with no target of its own. */
  status: 'pass' | 'miss' | 'info';
  note?: string;
}

export interface MeasurementResult {
  id: string;
  title: string;
  durationMs: number;
  metrics: Metric[];
  /** Raw figures behind the metrics (sample counts, breakdowns, per-route counts, …). */
  details: Record<string, unknown>;
  /** Set when the measurement could not run to the end. */
  error?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  nodeVersion: string;
  platform: string;
  totalMemoryGb: number;
  /** 1-minute load average when the run started and ended: other work on the machine skews it. */
  loadAverage: { start: number; end: number };
}

export interface BenchResults {
  version: 1;
  quick: boolean;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  measurements: MeasurementResult[];
}

export function metric(
  name: string,
  value: number,
  unit: string,
  target?: Target,
  note?: string,
): Metric {
  const status = !target
    ? 'info'
    : (target.op === '<=' ? value <= target.value : value >= target.value)
      ? 'pass'
      : 'miss';
  return {
    name,
    value,
    unit,
    target: target ?? null,
    ratio: target && target.value !== 0 ? value / target.value : null,
    status,
    ...(note === undefined ? {} : { note }),
  };
}

/** The problems with a parsed results file, empty when it has the shape above. */
export function shapeProblems(value: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return ['results: not an object'];
  if (value.version !== 1) problems.push('results.version: not 1');
  if (typeof value.quick !== 'boolean') problems.push('results.quick: not a boolean');
  if (!isObject(value.machine) || typeof value.machine.cpus !== 'number')
    problems.push('results.machine: missing or without cpus');
  if (!Array.isArray(value.measurements)) return [...problems, 'results.measurements: not a list'];
  value.measurements.forEach((m: unknown, i) => {
    const at = `results.measurements[${i}]`;
    if (!isObject(m)) return void problems.push(`${at}: not an object`);
    if (typeof m.id !== 'string') problems.push(`${at}.id: not a string`);
    if (typeof m.error === 'string') problems.push(`${at}: failed: ${m.error}`);
    if (!Array.isArray(m.metrics) || m.metrics.length === 0)
      return void problems.push(`${at}.metrics: empty or missing`);
    m.metrics.forEach((x: unknown, j) => {
      const mat = `${at}.metrics[${j}]`;
      if (!isObject(x)) return void problems.push(`${mat}: not an object`);
      if (typeof x.name !== 'string') problems.push(`${mat}.name: not a string`);
      if (typeof x.value !== 'number' || !Number.isFinite(x.value))
        problems.push(`${mat}.value: not a finite number`);
      if (!['pass', 'miss', 'info'].includes(x.status as string))
        problems.push(`${mat}.status: not pass, miss or info`);
      if (x.status !== 'info' && !isObject(x.target))
        problems.push(`${mat}.target: missing for a ${String(x.status)} figure`);
    });
  });
  return problems;
}
