// What every measurement module exports: an id for --only, a title for the table, and run().
import type { Metric } from './results.js';

export interface MeasureOptions {
  /** Smoke mode: the same path with a fraction of the samples, in seconds. */
  quick: boolean;
  /** One line of progress for the console. */
  progress: (line: string) => void;
}

export interface MeasurementOutput {
  metrics: Metric[];
  details: Record<string, unknown>;
}

export interface Measurement {
  id: string;
  title: string;
  run(opts: MeasureOptions): Promise<MeasurementOutput>;
}

/** Rejects after `ms` with a message naming what did not happen in time. */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
