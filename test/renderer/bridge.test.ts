import { describe, expect, it } from 'vitest';
import type { WorkerSnapshot } from '../../src/shared/snapshot';
import type { BridgeLink } from '../../renderer/src/bridge';
import { createWebBridge, pickBridge } from '../../renderer/src/bridge';
import { idleSnapshot } from './fixtures';

/** A stand-in for the browser's EventSource that the test drives. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly CLOSED = 2;
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  close() {
    this.closed = true;
  }
}

function bridgeWith(fetch: (url: string, init: RequestInit) => Promise<Response>) {
  return createWebBridge({
    apiBase: 'http://127.0.0.1:4000/api/',
    EventSource: FakeEventSource as unknown as typeof EventSource,
    fetch: fetch as typeof globalThis.fetch,
  });
}

describe('web bridge (renderer side)', () => {
  it('streams snapshots from api/events to every subscriber', () => {
    const bridge = bridgeWith(() => Promise.reject(new Error('unused')));
    const seen: WorkerSnapshot[] = [];
    const off = bridge.subscribe((s) => seen.push(s));
    const es = FakeEventSource.last!;
    expect(es.url).toBe('http://127.0.0.1:4000/api/events');
    es.onmessage?.({ data: JSON.stringify(idleSnapshot({ agentVersion: '9.9.9' })) });
    expect(seen.map((s) => s.agentVersion)).toEqual(['9.9.9']);
    off();
    expect(es.closed).toBe(true);
  });

  it('reports a connection the server ended as lost', () => {
    const bridge = bridgeWith(() => Promise.reject(new Error('unused')));
    const states: BridgeLink[] = [];
    bridge.onConnection?.((s) => states.push(s));
    bridge.subscribe(() => undefined);
    const es = FakeEventSource.last!;
    es.onopen?.();
    es.onerror?.();
    es.readyState = es.CLOSED;
    es.onerror?.();
    expect(states).toEqual(['connecting', 'open', 'connecting', 'lost']);
  });

  it('posts commands as JSON to api/command and returns the answer', async () => {
    const calls: [string, RequestInit][] = [];
    const bridge = bridgeWith((url, init) => {
      calls.push([url, init]);
      return Promise.resolve(
        new Response(JSON.stringify({ ok: true, message: 'saved' }), {
          headers: { 'content-type': 'application/json' },
        }),
      );
    });
    expect(await bridge.send({ type: 'setEnabled', enabled: false })).toEqual({
      ok: true,
      message: 'saved',
    });
    expect(calls[0]![0]).toBe('http://127.0.0.1:4000/api/command');
    expect(calls[0]![1].method).toBe('POST');
    expect(JSON.parse(calls[0]![1].body as string)).toEqual({ type: 'setEnabled', enabled: false });
  });

  it('turns a refused request into an error result', async () => {
    const bridge = bridgeWith(() =>
      Promise.resolve(new Response('refused: missing or wrong token\n', { status: 401 })),
    );
    const result = await bridge.send({ type: 'checkForUpdates' });
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining('the worker refused the command (HTTP 401)'),
    });
  });

  it('turns an unreachable worker into an error result', async () => {
    const bridge = bridgeWith(() => Promise.reject(new Error('fetch failed')));
    expect(await bridge.send({ type: 'checkForUpdates' })).toEqual({
      ok: false,
      error: 'could not reach the worker: fetch failed',
    });
  });

  it("prefers Electron's preload bridge when there is one", () => {
    const preload = { subscribe: () => () => undefined, send: () => Promise.resolve({ ok: true }) };
    const win = { studioWorker: preload } as unknown as Window;
    expect(pickBridge(win)).toBe(preload);
  });
});
