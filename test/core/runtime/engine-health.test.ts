import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/core/engine/engine.js';
import { createSyntheticEngine } from '../../../src/core/engine/synthetic/index.js';
import { gateOnHealth } from '../../../src/core/engine/health-gate.js';
import { ENGINE_DOWN_HOLD, engineHealthTick } from '../../../src/core/runtime/engine-health.js';
import { createLogger } from '../../../src/core/runtime/log.js';
import { WorkerObservers } from '../../../src/core/runtime/observers.js';

function deps(engine: Engine) {
  const lines: string[] = [];
  const observers = new WorkerObservers(
    { agentVersion: '1', apiBaseUrl: 'http://x', configPath: '/c', engine: engine.name },
    () => '2026-11-28',
  );
  const log = createLogger({
    sinks: [(e) => lines.push(`${e.level} ${e.message}`)],
    secrets: () => [],
    clock: { now: () => 0 },
  });
  return { engine, observers, log, lines };
}

/** A server-backed engine as the openai/a1111 engines look to the runtime. */
function serverEngine(state: { up: boolean; refreshed: number }): Engine {
  return {
    ...createSyntheticEngine(),
    name: 'openai',
    refresh: async () => {
      state.refreshed += 1;
      if (!state.up) throw new Error('connection refused');
    },
    health: async () => ({
      reachable: state.up,
      models: state.up ? ['llama3'] : [],
      error: state.up ? null : 'connection refused',
      checkedAt: '2026-11-28T00:00:00.000Z',
    }),
  };
}

describe('engineHealthTick', () => {
  it('does nothing for an engine without a server', async () => {
    const d = deps(createSyntheticEngine());
    expect(await engineHealthTick(d)).toBeNull();
    expect(d.observers.snapshot().engineHealth).toBeNull();
  });

  it('re-discovers models and puts the health in the snapshot', async () => {
    const state = { up: true, refreshed: 0 };
    const d = deps(serverEngine(state));
    await engineHealthTick(d);
    expect(state.refreshed).toBe(1);
    expect(d.observers.snapshot().engineHealth).toMatchObject({
      reachable: true,
      models: ['llama3'],
    });
    expect(d.lines).toEqual(['info openai engine reachable: 1 model(s)']);
  });

  it('says once that the engine went away, with the reason', async () => {
    const state = { up: false, refreshed: 0 };
    const d = deps(serverEngine(state));
    await engineHealthTick(d);
    await engineHealthTick(d);
    expect(d.observers.snapshot().engineHealth).toMatchObject({
      reachable: false,
      error: 'connection refused',
    });
    expect(d.lines.filter((l) => l.includes('unreachable'))).toEqual([
      'warn openai engine unreachable: connection refused — its models are not advertised until it answers',
    ]);
  });

  it('holds claiming with the reason while the gated engine advertises nothing, and releases it', async () => {
    const state = { up: false, refreshed: 0 };
    const holds: (string | null)[] = [];
    let announced = 0;
    const d = {
      ...deps(gateOnHealth(serverEngine(state))),
      hold: (source: string, reason: string | null) => {
        expect(source).toBe(ENGINE_DOWN_HOLD);
        holds.push(reason);
      },
      announce: async () => {
        announced += 1;
      },
    };
    await engineHealthTick(d);
    expect(d.engine.capabilities()).toEqual({});
    expect(holds).toEqual([
      'openai engine not answering (connection refused): its models are not advertised until it answers',
    ]);
    expect(announced).toBe(1);
    // Still down: the same hold, no new heartbeat for an unchanged set of models.
    await engineHealthTick(d);
    expect(announced).toBe(1);
    state.up = true;
    await engineHealthTick(d);
    expect(holds.at(-1)).toBeNull();
    expect(d.engine.capabilities().llm).toContain('synthetic-llm');
    expect(announced).toBe(2);
  });
});
