// The preload run as Electron runs a sandboxed preload: compiled to CommonJS and called as a
// function whose `require` knows only 'electron' (here a fake contextBridge and ipcRenderer).
// What it exposes to the page, and what it sends to main.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkerBridge } from '../../src/shared/bridge.js';
import { IPC_CHANNELS } from '../../src/shared/bridge.js';
import type { WorkerSnapshot } from '../../src/shared/snapshot.js';

const electron = (() => {
  const exposed: { key: string; api: unknown }[] = [];
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  const sent: string[] = [];
  const invoked: { channel: string; payload: unknown }[] = [];
  return {
    exposed,
    sent,
    invoked,
    /** Main sends on a channel. */
    push(channel: string, payload: unknown) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'main' }, payload);
    },
    module: {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => void exposed.push({ key, api }),
      },
      ipcRenderer: {
        on: (channel: string, l: (event: unknown, payload: unknown) => void) =>
          void listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
        send: (channel: string) => void sent.push(channel),
        invoke: (channel: string, payload: unknown) => {
          invoked.push({ channel, payload });
          return Promise.resolve({ ok: true });
        },
      },
    },
  };
})();

const required: string[] = [];

/** Compiles src/preload/index.cts and runs it inside the sandbox's CommonJS wrapper. */
function runSandboxedPreload(): void {
  const file = new URL('../../src/preload/index.cts', import.meta.url);
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: 'index.cts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron.module;
    throw new Error(`module not found: ${name}`);
  };
  const exports = {};
  new Function('require', 'process', 'exports', 'module', outputText)(sandboxRequire, {}, exports, {
    exports,
  });
}

let bridge: WorkerBridge;
beforeAll(() => {
  runSandboxedPreload();
  bridge = electron.exposed[0]?.api as WorkerBridge;
});

const snapshot = (version: string) => ({ agentVersion: version }) as unknown as WorkerSnapshot;

describe('the preload', () => {
  it('runs in the sandbox: it requires nothing but electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly one object, studioWorker, with subscribe and send and nothing else', () => {
    expect(electron.exposed.map((e) => e.key)).toEqual(['studioWorker']);
    expect(Object.keys(bridge).sort()).toEqual(['send', 'subscribe']);
    expect(JSON.stringify(Object.values(bridge))).not.toContain('ipcRenderer');
  });

  it('asks main for the current snapshot on the first subscribe, then delivers every push', () => {
    const seen: string[] = [];
    const off = bridge.subscribe((s) => seen.push(s.agentVersion));
    expect(electron.sent).toEqual([IPC_CHANNELS.ready]);
    electron.push(IPC_CHANNELS.snapshot, snapshot('1.0.0'));
    electron.push(IPC_CHANNELS.snapshot, snapshot('1.0.1'));
    expect(seen).toEqual(['1.0.0', '1.0.1']);
    off();
    electron.push(IPC_CHANNELS.snapshot, snapshot('1.0.2'));
    expect(seen).toEqual(['1.0.0', '1.0.1']);
  });

  it('gives a later subscriber the latest snapshot at once', () => {
    const seen: string[] = [];
    bridge.subscribe((s) => seen.push(s.agentVersion));
    expect(seen).toEqual(['1.0.2']);
  });

  it('sends commands to main on the command channel and returns its answer', async () => {
    expect(await bridge.send({ type: 'snooze', minutes: 60 })).toEqual({ ok: true });
    expect(electron.invoked).toEqual([
      { channel: IPC_CHANNELS.command, payload: { type: 'snooze', minutes: 60 } },
    ]);
  });

  it('refuses a subscriber that is not a function', () => {
    expect(() => bridge.subscribe('nope' as never)).toThrow(TypeError);
  });
});
