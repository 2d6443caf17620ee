import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { streamSnapshots } from '../../src/cli/web-bridge/snapshot-stream.js';
import { SNAPSHOT_INTERVAL_MS } from '../../src/core/runtime/coalescer.js';
import { WorkerObservers } from '../../src/core/runtime/observers.js';
import type { WorkerSnapshot } from '../../src/shared/snapshot.js';
import { eventually } from '../helpers/harness.js';
import { manualClock } from '../helpers/manual-clock.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real loopback server streaming `observers` on a manual clock, and a client reading it. */
async function stream() {
  const observers = new WorkerObservers(
    { agentVersion: '1', apiBaseUrl: 'http://x', configPath: '/c', engine: 'synthetic' },
    () => '2026-11-28',
  );
  const clock = manualClock(1_000);
  const server = http.createServer((_req, res) => {
    streamSnapshots(res, observers, {
      minIntervalMs: SNAPSHOT_INTERVAL_MS,
      keepAliveMs: 15_000,
      clock,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const snapshots: WorkerSnapshot[] = [];
  const comments: string[] = [];
  const req = http.get({ host: '127.0.0.1', port, path: '/' });
  const response = await new Promise<http.IncomingMessage>((resolve) =>
    req.on('response', resolve),
  );
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (event.startsWith('data: ')) snapshots.push(JSON.parse(event.slice(6)) as WorkerSnapshot);
      if (event.startsWith(':')) comments.push(event);
    }
  });
  cleanups.push(async () => {
    req.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { observers, clock, snapshots, comments };
}

// Real time: the events travel over a real loopback connection; `eventually` waits for them to
// arrive, while the interval itself is the manual clock's.
describe("the web bridge's snapshot stream", () => {
  it('sends a burst of changes as one snapshot, the latest, once the interval ends', async () => {
    const { observers, clock, snapshots } = await stream();
    await eventually(() => snapshots.length === 1, 'the first snapshot');
    for (let gb = 1; gb <= 10; gb += 1) observers.set({ vramThresholdGb: gb });
    await clock.advance(SNAPSHOT_INTERVAL_MS);
    await eventually(() => snapshots.at(-1)?.vramThresholdGb === 10, 'the latest snapshot');
    // The stream is ordered: had the burst gone out piecemeal, those would have come first.
    expect(snapshots.map((s) => s.vramThresholdGb)).toEqual([0, 10]);
  });

  it('sends a keep-alive comment when the keep-alive interval passes', async () => {
    const { clock, snapshots, comments } = await stream();
    await eventually(() => snapshots.length === 1, 'the first snapshot');
    expect(comments).toEqual([]);
    await clock.advance(15_000);
    await eventually(() => comments.length === 1, 'a keep-alive');
    expect(comments).toEqual([': keep-alive']);
  });
});
