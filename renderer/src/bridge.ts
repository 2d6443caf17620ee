// Which bridge the window talks through: the Electron preload's `window.studioWorker`, or — in a
// browser opened on `studio-worker run --ui` — the web bridge: snapshots over Server-Sent Events
// from api/events, commands POSTed to api/command (the page's cookie carries the token).
import type { CommandResult, WorkerBridge, WorkerCommand } from '../../src/shared/bridge';
import type { WorkerSnapshot } from '../../src/shared/snapshot';

/**
 * The window's link to the worker (not the worker's to the studio: that is the snapshot's
 * ConnectionState). `open`: snapshots arrive; `connecting`: (re)trying; `lost`: the worker
 * refused or is gone.
 */
export type BridgeLink = 'connecting' | 'open' | 'lost';

export interface RendererBridge extends WorkerBridge {
  /** Only the web bridge can lose its worker; Electron's IPC cannot. */
  onConnection?(listener: (state: BridgeLink) => void): () => void;
}

declare global {
  interface Window {
    studioWorker?: WorkerBridge;
  }
}

export interface WebBridgeDeps {
  /** Absolute URL of the bridge's api/ folder, with the trailing slash. */
  apiBase: string;
  EventSource: typeof EventSource;
  fetch: typeof fetch;
}

async function postCommand(deps: WebBridgeDeps, command: WorkerCommand): Promise<CommandResult> {
  let response: Response;
  try {
    response = await deps.fetch(`${deps.apiBase}command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(command),
      credentials: 'same-origin',
    });
  } catch (error) {
    return { ok: false, error: `could not reach the worker: ${(error as Error).message}` };
  }
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
    return (await response.json()) as CommandResult;
  }
  return {
    ok: false,
    error: `the worker refused the command (HTTP ${response.status}): reload the URL that studio-worker printed`,
  };
}

export function createWebBridge(deps: WebBridgeDeps): RendererBridge {
  const listeners = new Set<(snapshot: WorkerSnapshot) => void>();
  const connectionListeners = new Set<(state: BridgeLink) => void>();
  let source: EventSource | null = null;
  let latest: WorkerSnapshot | null = null;
  let state: BridgeLink = 'connecting';

  const setState = (next: BridgeLink) => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(state);
  };
  const open = () => {
    const es = new deps.EventSource(`${deps.apiBase}events`);
    es.onopen = () => setState('open');
    es.onmessage = (event: MessageEvent<string>) => {
      latest = JSON.parse(event.data) as WorkerSnapshot;
      setState('open');
      for (const listener of listeners) listener(latest);
    };
    // EventSource retries by itself after a dropped connection; it gives up (CLOSED) when the
    // server answers with an error, e.g. a restarted worker that has a new token.
    es.onerror = () => setState(es.readyState === es.CLOSED ? 'lost' : 'connecting');
    source = es;
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!source) open();
      if (latest) listener(latest);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = null;
        }
      };
    },
    send: (command) => postCommand(deps, command),
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}

export function pickBridge(win: Window): RendererBridge {
  if (win.studioWorker) return win.studioWorker;
  return createWebBridge({
    apiBase: new URL('api/', win.location.href).href,
    EventSource,
    fetch: win.fetch.bind(win),
  });
}
