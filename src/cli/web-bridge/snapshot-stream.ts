// The snapshot stream of the web bridge: Server-Sent Events, one `data:` line per snapshot,
// coalesced to at most one every `minIntervalMs` (always the latest), a comment line now and
// then so proxies and the browser keep the connection open.
import type { ServerResponse } from 'node:http';
import type { WorkerSnapshot } from '../../shared/snapshot.js';

export interface SnapshotSource {
  snapshot(): WorkerSnapshot;
  subscribe(listener: () => void): () => void;
}

export interface StreamOptions {
  minIntervalMs: number;
  keepAliveMs: number;
}

/** Streams snapshots into `res` until the client goes away; returns a function that ends it. */
export function streamSnapshots(
  res: ServerResponse,
  source: SnapshotSource,
  options: StreamOptions,
): () => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
  });
  let lastSent: WorkerSnapshot | null = null;
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let blocked = false;

  const send = () => {
    timer = undefined;
    const snapshot = source.snapshot();
    if (snapshot === lastSent) return;
    lastSent = snapshot;
    lastAt = Date.now();
    // A slow reader gets the newest snapshot once it has caught up, not a backlog.
    blocked = !res.write(`data: ${JSON.stringify(snapshot)}\n\n`);
  };
  const schedule = () => {
    if (timer || blocked) return;
    timer = setTimeout(send, Math.max(0, lastAt + options.minIntervalMs - Date.now()));
  };
  const onDrain = () => {
    blocked = false;
    schedule();
  };
  const unsubscribe = source.subscribe(schedule);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), options.keepAliveMs);
  res.on('drain', onDrain);

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearTimeout(timer);
    clearInterval(keepAlive);
    res.off('drain', onDrain);
    res.end();
  };
  res.on('close', end);
  res.write('retry: 2000\n\n');
  send();
  return end;
}
