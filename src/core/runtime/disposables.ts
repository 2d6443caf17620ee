// Disposables: whatever starts something (a loop, a listener, a subscription, a timer) hands back
// something that stops it, and whoever owns a lifetime keeps them in one DisposableStore that it
// disposes when the lifetime ends. Modelled on VS Code's DisposableStore; a dispose may return a
// promise (a loop that ends after its tick), which the store waits for.

export interface Disposable {
  /** Stops what was started. May return a promise that settles once it has really stopped. */
  dispose(): void | Promise<void>;
}

/** A Disposable that runs `stop` once, however often it is disposed. */
export function toDisposable(stop: () => void | Promise<void>): Disposable {
  let result: void | Promise<void> | undefined;
  let disposed = false;
  return {
    dispose() {
      if (!disposed) {
        disposed = true;
        result = stop();
      }
      return result;
    },
  };
}

export interface DisposableStoreOptions {
  /**
   * Hears a failure of a disposable added after the store was disposed (it is disposed at once,
   * with no caller left to await it). Unset: the failure is rethrown as an unhandled rejection,
   * so it is never silent.
   */
  onLateError?: (error: unknown) => void;
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposing: Promise<void> | null = null;

  constructor(private readonly options: DisposableStoreOptions = {}) {}

  get isDisposed(): boolean {
    return this.disposing !== null;
  }

  /**
   * Keeps `item` until the store is disposed, and returns it. Once the store has been disposed
   * the item is disposed at once instead: a lifetime that has ended leaks nothing started late.
   */
  add<T extends Disposable>(item: T): T {
    if (!this.disposing) {
      this.items.push(item);
      return item;
    }
    const report =
      this.options.onLateError ??
      ((error: unknown) => {
        throw error;
      });
    settle(item)
      .then((errors) => errors.forEach((error) => report(error)))
      .catch((error: unknown) => {
        // `report` itself threw (the default does): surface it, never swallow it.
        void Promise.reject(error);
      });
    return item;
  }

  /**
   * Disposes everything added, newest first. Each dispose starts in that order (synchronously,
   * before this returns); those that return a promise are then awaited together. A failure of
   * one does not stop the others: once all have settled the promise rejects with the failure
   * (an AggregateError when several failed). Disposing again returns the same promise.
   */
  dispose(): Promise<void> {
    if (this.disposing) return this.disposing;
    const items = this.items.splice(0).reverse();
    const settling = items.map((item) => settle(item));
    this.disposing = Promise.all(settling).then((results) => {
      const errors = results.flat();
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1)
        throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
    });
    return this.disposing;
  }
}

/** Disposes `item`, turning a throw or a rejection into a list of errors (empty when none). */
function settle(item: Disposable): Promise<unknown[]> {
  let result: void | Promise<void>;
  try {
    result = item.dispose();
  } catch (error) {
    return Promise.resolve([error]);
  }
  return Promise.resolve(result).then(
    () => [],
    (error: unknown) => [error],
  );
}
