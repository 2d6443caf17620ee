// Order statistics over samples: the median and percentiles the report quotes.

/** The p-th percentile (0–100) by linear interpolation between closest ranks. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Events per second over a series of completion times (ms): intervals, not the first start. */
export function ratePerSecond(times: readonly number[]): number {
  if (times.length < 2) return NaN;
  return ((times.length - 1) * 1000) / (times[times.length - 1]! - times[0]!);
}

export function summary(samples: readonly number[]) {
  return {
    n: samples.length,
    median: median(samples),
    p95: percentile(samples, 95),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}
