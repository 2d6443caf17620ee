// A brief cache for an async measurement: callers within `ttlMs` of the last answer get it
// again, and callers that arrive while a measurement runs wait for that one instead of
// starting another. A failed measurement is not kept. The time to keep an answer may depend on
// it and on the one before (keep a steady answer longer).
export type TtlFor<T> = number | ((value: T, previous: T | undefined) => number);

export function sharedAndCached<T>(
  measure: () => Promise<T>,
  ttl: TtlFor<T>,
  now: () => number,
): () => Promise<T> {
  let last: { at: number; value: T } | null = null;
  let ttlMs = typeof ttl === 'number' ? ttl : 0;
  let running: Promise<T> | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.value);
    running ??= measure()
      .then((value) => {
        if (typeof ttl === 'function') ttlMs = ttl(value, last?.value);
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
}
