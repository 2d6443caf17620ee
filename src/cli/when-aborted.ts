// Waiting for a stop signal. A signal that has already fired sends no more 'abort' events, so a
// listener added after a Ctrl+C (say, while registration was finishing) would wait for ever.
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
