// Cancellation for engines: one AbortError shape, a stop-aware delay, a yield point for long
// CPU work, and a race that rejects as soon as the job is cancelled even while work that cannot
// be interrupted (an image encoder, a network call) is still finishing in the background.

/** The error a run rejects with when its signal fires: `name` is 'AbortError'. */
export function abortedError(engine: string, signal: AbortSignal): Error {
  const error = new Error(`${engine} engine run was aborted (${describeReason(signal.reason)})`);
  error.name = 'AbortError';
  return error;
}

export function throwIfAborted(engine: string, signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(engine, signal);
}

/**
 * Waits `ms`, rejecting with an AbortError as soon as `signal` fires. Real time, not the Clock
 * port: it stands for an engine's work (the synthetic engine's delay), which takes real time.
 */
export function abortableDelay(engine: string, ms: number, signal: AbortSignal): Promise<void> {
  return untilAborted(engine, signal, new Promise((resolve) => setTimeout(resolve, ms).unref()));
}

/** Lets other work (timers, the abort itself) run, then throws if the run was aborted meanwhile. */
export async function nextTurn(engine: string, signal: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  throwIfAborted(engine, signal);
}

/** Settles like `work`, unless `signal` fires first: then rejects at once with an AbortError. */
export function untilAborted<T>(engine: string, signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      work.catch(() => undefined);
      reject(abortedError(engine, signal));
      return;
    }
    const onAbort = (): void => reject(abortedError(engine, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (reason === undefined) return 'no reason given';
  return String(reason);
}
