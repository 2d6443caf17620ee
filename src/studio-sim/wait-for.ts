// waitFor: resolves once a condition on the sim's state holds, re-checking on every change and
// on a short poll (for conditions that depend on time, like lease expiry).
export interface WaitSources {
  /** Subscribes to state changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Subscribes to the sim closing. */
  onClose(listener: () => void): () => void;
}

const POLL_MS = 20;

export function waitFor(
  sources: WaitSources,
  predicate: () => boolean,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanups: (() => void)[] = [];
    const settle = (error?: Error) => {
      for (const cleanup of cleanups) cleanup();
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      let held: boolean;
      try {
        held = predicate();
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (held) settle();
    };
    const poll = setInterval(check, POLL_MS);
    const timeout = setTimeout(() => {
      const source = predicate.toString().replace(/\s+/g, ' ').slice(0, 200);
      settle(
        new Error(`studio sim: waitFor timed out after ${timeoutMs} ms waiting for ${source}`),
      );
    }, timeoutMs);
    cleanups.push(
      () => clearInterval(poll),
      () => clearTimeout(timeout),
      sources.onChange(check),
      sources.onClose(() => settle(new Error('studio sim: closed while waitFor was waiting'))),
    );
    check();
  });
}
