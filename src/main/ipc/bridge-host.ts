// Main's side of the window bridge: answers commands (checked sender, then parseCommand, then
// applyCommand: the same path the tray takes) and pushes snapshots, coalesced, to the window
// while it is visible: a hidden window gets nothing, and the latest snapshot when shown again.
import type { CommandResult } from '../../shared/bridge.js';
import { IPC_CHANNELS } from '../../shared/bridge.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import type { CommandHost } from '../../core/control/commands.js';
import { applyCommand, parseCommand } from '../../core/control/commands.js';
import { errorMessage } from '../../core/errors/message.js';
import type { Worker } from '../../core/runtime/worker.js';
import type { IpcEventLike, IpcMainPort, WebContentsPort } from '../ports.js';
import type { Clock } from '../../core/runtime/clock.js';
import { createCoalescer, SNAPSHOT_INTERVAL_MS } from '../../core/runtime/coalescer.js';

export interface BridgeHostDeps {
  ipcMain: IpcMainPort;
  worker: Worker;
  host: CommandHost;
  window: {
    isTrustedSender(event: IpcEventLike): boolean;
    webContents(): WebContentsPort | null;
    isVisible(): boolean;
    onShown(listener: () => void): void;
  };
  clock?: Clock;
}

export const FOREIGN_SENDER_ERROR =
  'refused: commands are only accepted from the Studio Worker window';

/** Serves the bridge until the returned function is called. */
export function serveBridge(deps: BridgeHostDeps): () => void {
  const { worker } = deps;
  let stopped = false;
  const sendSnapshot = (snapshot: WorkerSnapshot) => {
    if (stopped) return;
    const contents = deps.window.webContents();
    if (contents && !contents.isDestroyed()) contents.send(IPC_CHANNELS.snapshot, snapshot);
  };
  const coalescer = createCoalescer<WorkerSnapshot>({
    intervalMs: SNAPSHOT_INTERVAL_MS,
    send: (snapshot) => {
      if (deps.window.isVisible()) sendSnapshot(snapshot);
    },
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const unsubscribe = worker.observers.subscribe(() => coalescer.push(worker.observers.snapshot()));
  deps.window.onShown(() => sendSnapshot(worker.observers.snapshot()));

  deps.ipcMain.handle(IPC_CHANNELS.command, async (event, payload): Promise<CommandResult> => {
    if (!deps.window.isTrustedSender(event)) {
      worker.log.warn('ipc', `refused a command from a foreign sender (${senderUrl(event)})`);
      return { ok: false, error: FOREIGN_SENDER_ERROR };
    }
    const parsed = parseCommand(payload);
    if (!parsed.ok) {
      worker.log.warn('ipc', `refused a malformed command: ${parsed.error}`);
      return { ok: false, error: parsed.error };
    }
    try {
      return await applyCommand(worker, deps.host, parsed.command);
    } catch (error) {
      return { ok: false, error: worker.log.redact(errorMessage(error)) };
    }
  });

  // The page asks for the current state once it has subscribed: answered at once, not coalesced.
  deps.ipcMain.on(IPC_CHANNELS.ready, (event) => {
    if (!deps.window.isTrustedSender(event)) return;
    sendSnapshot(worker.observers.snapshot());
  });

  return () => {
    stopped = true;
    unsubscribe();
    coalescer.dispose();
    deps.ipcMain.removeHandler(IPC_CHANNELS.command);
    deps.ipcMain.removeAllListeners(IPC_CHANNELS.ready);
  };
}

function senderUrl(event: IpcEventLike): string {
  return event.senderFrame?.url ?? 'no frame';
}
