// A brief cache for an async measurement: callers within `ttlMs` of the last answer get it
// again, and callers that arrive while a measurement runs wait for that one instead of
// starting another. A failed measurement is not kept.
export function sharedAndCached<T>(
  measure: () => Promise<T>,
  ttlMs: number,
  now: () => number,
): () => Promise<T> {
  let last: { at: number; value: T } | null = null;
  let running: Promise<T> | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.value);
    running ??= measure()
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
}
