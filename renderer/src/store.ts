// The window's state: the last snapshot the worker pushed, the bridge's connection state,
// `send` for commands and the settings typed but not saved yet. Pages read it through
// useWorker/useSnapshot; tests hand in a fake bridge.
import { createContext, useContext } from 'react';
import { createStore, useStore } from 'zustand';
import type { StoreApi } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CommandResult, WorkerCommand } from '../../src/shared/bridge';
import type { SettingsView, WorkerSnapshot } from '../../src/shared/snapshot';
import type { BridgeLink, RendererBridge } from './bridge';
import type { SettingsForm } from './settings-form';

export interface WorkerState {
  snapshot: WorkerSnapshot | null;
  connection: BridgeLink;
  send(command: WorkerCommand): Promise<CommandResult>;
  /** Settings typed but not saved: kept here so they survive a visit to another page. */
  settingsEdits: Partial<SettingsForm>;
  setSettingsEdits(update: (edits: Partial<SettingsForm>) => Partial<SettingsForm>): void;
}

export type WorkerStore = StoreApi<WorkerState>;

export function createWorkerStore(bridge: RendererBridge): WorkerStore {
  const store = createStore<WorkerState>()((set) => ({
    snapshot: null,
    connection: bridge.onConnection ? 'connecting' : 'open',
    send: (command) => bridge.send(command),
    settingsEdits: {},
    setSettingsEdits: (update) => set((state) => ({ settingsEdits: update(state.settingsEdits) })),
  }));
  bridge.subscribe((snapshot) => store.setState({ snapshot }));
  bridge.onConnection?.((connection) => store.setState({ connection }));
  return store;
}

export const StoreContext = createContext<WorkerStore | null>(null);

export function useWorker<T>(selector: (state: WorkerState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useWorker needs a StoreContext provider');
  return useStore(store, selector);
}

/** The latest snapshot; only used below App, which renders pages once there is one. */
export function useSnapshot(): WorkerSnapshot {
  const snapshot = useWorker((s) => s.snapshot);
  if (!snapshot) throw new Error('useSnapshot before the first snapshot arrived');
  return snapshot;
}

/**
 * The latest snapshot's settings, kept as the same object while their values stay the same:
 * each push is a new snapshot, and an effect on the settings should run only when they change.
 */
export function useSettingsView(): SettingsView {
  const settings = useWorker(useShallow((s) => s.snapshot?.settings));
  if (!settings) throw new Error('useSettingsView before the first snapshot arrived');
  return settings;
}

export function useSend(): WorkerState['send'] {
  return useWorker((s) => s.send);
}
