// The error a run rejects with, for tests that assert on its message or name.
import { expect } from 'vitest';

export async function rejection(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** A signal that never fires: a job nobody cancels. */
export const running = (): AbortSignal => new AbortController().signal;
