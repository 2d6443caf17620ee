import { describe, expect, it } from 'vitest';
import {
  abortableDelay,
  abortedError,
  nextTurn,
  untilAborted,
} from '../../../src/core/engine/abort.js';

describe('abort helpers', () => {
  it('names the engine and the abort reason in the AbortError', () => {
    const controller = new AbortController();
    controller.abort('shutting down');
    const error = abortedError('demo', controller.signal);
    expect(error.name).toBe('AbortError');
    expect(error.message).toBe('demo engine run was aborted (shutting down)');
  });

  it('resolves a delay that is not aborted', async () => {
    await expect(abortableDelay('demo', 5, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('rejects a pending delay as soon as the signal fires', async () => {
    const controller = new AbortController();
    const delay = abortableDelay('demo', 60_000, controller.signal);
    controller.abort();
    await expect(delay).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('passes on the value and the error of work that finishes first', async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted('demo', signal, Promise.resolve(7))).resolves.toBe(7);
    await expect(untilAborted('demo', signal, Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
  });

  it('rejects at once for a signal aborted before the work started', async () => {
    const controller = new AbortController();
    controller.abort();
    const work = Promise.reject(new Error('ignored'));
    await expect(untilAborted('demo', controller.signal, work)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('throws from the next turn once the signal has fired', async () => {
    const controller = new AbortController();
    const turn = nextTurn('demo', controller.signal);
    controller.abort();
    await expect(turn).rejects.toMatchObject({ name: 'AbortError' });
  });
});
