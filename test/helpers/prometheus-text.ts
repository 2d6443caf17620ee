// A strict reader of the Prometheus text exposition format (version 0.0.4), enough to check that
// what /metrics serves parses: HELP and TYPE lines, then samples `name{label="value"} number`.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Values: Go's ParseFloat, as Prometheus reads them (NaN and Inf in any letter case).
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (-?[0-9.eE+-]+|[Nn][Aa][Nn]|[+-][Ii][Nn][Ff])(?: -?\\d+)?$`,
);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses the text; throws naming the first line that is not valid exposition format. */
export function parsePrometheusText(text: string): {
  samples: Sample[];
  types: Map<string, string>;
} {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  if (!text.endsWith('\n')) throw new Error('the text does not end with a newline');
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      if (!meta) throw new Error(`line ${i + 1} is not a HELP or TYPE line: ${line}`);
      if (meta[1] === 'TYPE') {
        if (!TYPES.has(meta[3] ?? ''))
          throw new Error(`line ${i + 1} has an unknown type: ${line}`);
        types.set(meta[2] ?? '', meta[3] ?? '');
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`line ${i + 1} is not a sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      );
    }
    const raw = match[3] ?? '';
    // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case.
    const lower = raw.toLowerCase();
    const value = lower === '+inf' ? Infinity : lower === '-inf' ? -Infinity : Number(raw);
    if (lower !== 'nan' && Number.isNaN(value))
      throw new Error(`line ${i + 1} has a bad value: ${line}`);
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return { samples, types };
}

/** The value of the one sample with this name and these labels (undefined when absent). */
export function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}
