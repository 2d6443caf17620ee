// The snapshot stream of the web bridge: Server-Sent Events, one `data:` line per snapshot,
// coalesced to at most one every `minIntervalMs` (always the latest), a comment line now and
// then so proxies and the browser keep the connection open.
import type { ServerResponse } from 'node:http';
import type { Clock } from '../../core/runtime/clock.js';
import { systemClock } from '../../core/runtime/clock.js';
import { createCoalescer } from '../../core/runtime/coalescer.js';
import type { WorkerSnapshot } from '../../shared/snapshot.js';

export interface SnapshotSource {
  snapshot(): WorkerSnapshot;
  subscribe(listener: () => void): () => void;
}

export interface StreamOptions {
  minIntervalMs: number;
  keepAliveMs: number;
  /** The coalescer's and the keep-alive's timers; the system clock by default. */
  clock?: Clock;
}

/** Streams snapshots into `res` until the client goes away; returns a function that ends it. */
export function streamSnapshots(
  res: ServerResponse,
  source: SnapshotSource,
  options: StreamOptions,
): () => void {
  const clock = options.clock ?? systemClock;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
  });
  let lastSent: WorkerSnapshot | null = null;
  let blocked = false;
  /** A change came while the reader was behind: it gets the newest once it has caught up. */
  let missed = false;

  const send = () => {
    // A slow reader gets the newest snapshot once it has caught up, not a backlog.
    if (blocked) {
      missed = true;
      return;
    }
    const snapshot = source.snapshot();
    if (snapshot === lastSent) return;
    lastSent = snapshot;
    blocked = !res.write(`data: ${JSON.stringify(snapshot)}\n\n`);
  };
  const coalescer = createCoalescer<null>({
    intervalMs: options.minIntervalMs,
    send,
    clock,
  });
  const onDrain = () => {
    blocked = false;
    if (missed) {
      missed = false;
      coalescer.push(null);
    }
  };
  const unsubscribe = source.subscribe(() => coalescer.push(null));
  let cancelKeepAlive = () => {};
  const keepAlive = () => {
    res.write(': keep-alive\n\n');
    cancelKeepAlive = clock.setTimer(keepAlive, options.keepAliveMs);
  };
  cancelKeepAlive = clock.setTimer(keepAlive, options.keepAliveMs);
  res.on('drain', onDrain);

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    coalescer.dispose();
    cancelKeepAlive();
    res.off('drain', onDrain);
    res.end();
  };
  res.on('close', end);
  res.write('retry: 2000\n\n');
  coalescer.push(null);
  return end;
}
