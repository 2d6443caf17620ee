// The window's preload: runs sandboxed, in the page's isolated world, and exposes exactly one
// object, `window.studioWorker` (the WorkerBridge of src/shared). ipcRenderer never leaves this
// file. Written as CommonJS (.cts) and self-contained: Electron runs a sandboxed preload as a
// CommonJS function that may require only a few built-in modules such as 'electron'.
import type { CommandResult, IPC_CHANNELS, WorkerBridge, WorkerCommand } from '../shared/bridge.js';
import type { WorkerSnapshot } from '../shared/snapshot.js';
import { contextBridge, ipcRenderer } from 'electron';

/**
 * IPC_CHANNELS, restated because src/shared cannot be loaded here at run time; the type makes the
 * compiler reject any difference from the original.
 */
const CHANNELS: typeof IPC_CHANNELS = {
  snapshot: 'studio-worker:snapshot',
  command: 'studio-worker:command',
  ready: 'studio-worker:ready',
};

const listeners = new Set<(snapshot: WorkerSnapshot) => void>();
let latest: WorkerSnapshot | null = null;

ipcRenderer.on(CHANNELS.snapshot, (_event: unknown, snapshot: WorkerSnapshot) => {
  latest = snapshot;
  for (const listener of [...listeners]) listener(snapshot);
});

const bridge: WorkerBridge = {
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    listeners.add(listener);
    // The latest snapshot now if we have one; otherwise main answers `ready` with it.
    if (latest) listener(latest);
    else ipcRenderer.send(CHANNELS.ready);
    return () => {
      listeners.delete(listener);
    };
  },
  send(command: WorkerCommand): Promise<CommandResult> {
    // Main validates the payload; nothing here needs to trust the page.
    return ipcRenderer.invoke(CHANNELS.command, command) as Promise<CommandResult>;
  },
};

contextBridge.exposeInMainWorld('studioWorker', bridge);
