// Renders the window (or one page) over a fake bridge: the snapshot is a fixture the test can
// replace, and every command sent is recorded and answered with what the test set up.
import { act, cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, vi } from 'vitest';
import type { CommandResult, WorkerCommand } from '../../src/shared/bridge';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import type { RendererBridge } from '../../renderer/src/bridge';
import { createWorkerStore, StoreContext } from '../../renderer/src/store';
import { NOW } from './fixtures';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.location.hash = '';
});

export interface FakeBridge extends RendererBridge {
  sent: WorkerCommand[];
  /** Pushes a new snapshot to the window. */
  push(snapshot: WorkerSnapshot): void;
  /** What the next commands get back (default `{ ok: true }`). */
  answer: (command: WorkerCommand) => CommandResult;
}

export function fakeBridge(snapshot: WorkerSnapshot): FakeBridge {
  const listeners = new Set<(s: WorkerSnapshot) => void>();
  let latest = snapshot;
  const bridge: FakeBridge = {
    sent: [],
    answer: () => ({ ok: true }),
    subscribe(listener) {
      listeners.add(listener);
      listener(latest);
      return () => listeners.delete(listener);
    },
    send(command) {
      bridge.sent.push(command);
      return Promise.resolve(bridge.answer(command));
    },
    push(next) {
      latest = next;
      act(() => {
        for (const listener of listeners) listener(next);
      });
    },
  };
  return bridge;
}

/** Freezes Date at the fixtures' NOW (timers stay real, so React and user-event work). */
export function atFixtureTime(): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
}

export function renderWith(
  snapshot: WorkerSnapshot,
  ui: ReactNode,
  /** What commands get back, from the first one (a page may send one as it mounts). */
  answer?: FakeBridge['answer'],
) {
  const bridge = fakeBridge(snapshot);
  if (answer) bridge.answer = answer;
  const store = createWorkerStore(bridge);
  const result = render(<StoreContext.Provider value={store}>{ui}</StoreContext.Provider>);
  return { ...result, bridge, store };
}
