import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../../src/core/runtime/disposables.js';

describe('DisposableStore', () => {
  it('add returns the disposable it was given', () => {
    const store = new DisposableStore();
    const item = toDisposable(() => undefined);
    expect(store.add(item)).toBe(item);
  });

  it('disposes in reverse order of adding', async () => {
    const store = new DisposableStore();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c']) store.add(toDisposable(() => void order.push(name)));
    await store.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('starts every dispose before it returns, and waits for those that return a promise', async () => {
    const store = new DisposableStore();
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const started: string[] = [];
    store.add(toDisposable(() => void started.push('first')));
    store.add(
      toDisposable(() => {
        started.push('slow');
        return slow;
      }),
    );
    let settled = false;
    const disposing = store.dispose().then(() => (settled = true));
    expect(started).toEqual(['slow', 'first']);
    await Promise.resolve();
    expect(settled).toBe(false);
    finish();
    await disposing;
    expect(settled).toBe(true);
  });

  it('a failing dispose does not stop the others, and its error is reported', async () => {
    const store = new DisposableStore();
    const disposed: string[] = [];
    store.add(toDisposable(() => void disposed.push('a')));
    store.add(
      toDisposable(() => {
        throw new Error('b broke');
      }),
    );
    store.add(toDisposable(() => void disposed.push('c')));
    await expect(store.dispose()).rejects.toThrow('b broke');
    expect(disposed).toEqual(['c', 'a']);
  });

  it('several failures, thrown or rejected, come back together', async () => {
    const store = new DisposableStore();
    store.add(
      toDisposable(() => {
        throw new Error('one');
      }),
    );
    store.add(toDisposable(() => Promise.reject(new Error('two'))));
    const error: unknown = await store.dispose().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['two', 'one']);
  });

  it('disposes each only once, however often the store is disposed', async () => {
    const store = new DisposableStore();
    let count = 0;
    store.add(toDisposable(() => void (count += 1)));
    await Promise.all([store.dispose(), store.dispose()]);
    await store.dispose();
    expect(count).toBe(1);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after the store was disposed', async () => {
    const store = new DisposableStore();
    await store.dispose();
    let disposed = false;
    store.add(toDisposable(() => void (disposed = true)));
    expect(disposed).toBe(true);
  });

  it('hands the failure of a late addition to onLateError', async () => {
    const late: unknown[] = [];
    const store = new DisposableStore({ onLateError: (e) => late.push(e) });
    await store.dispose();
    store.add(toDisposable(() => Promise.reject(new Error('late'))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(late).toEqual([new Error('late')]);
  });
});

describe('toDisposable', () => {
  it('runs its function once, however often it is disposed', () => {
    let count = 0;
    const item = toDisposable(() => void (count += 1));
    void item.dispose();
    void item.dispose();
    expect(count).toBe(1);
  });
});
