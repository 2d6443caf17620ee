// The engine side of admission and health: what ComfyUI and multi say they hold on the GPU, and
// the health gate that stops advertising an engine's models while its server does not answer.
import { afterEach, describe, expect, it } from 'vitest';
import { createComfyEngine } from '../../../src/core/engine/comfyui/index.js';
import { EngineJobError, type Engine } from '../../../src/core/engine/engine.js';
import { gateOnHealth, isUnreachable } from '../../../src/core/engine/health-gate.js';
import { createMultiEngine } from '../../../src/core/engine/multi.js';
import { EngineServerError } from '../../../src/core/engine/remote/http.js';
import { createSyntheticEngine } from '../../../src/core/engine/synthetic/index.js';
import { startComfyStandIn, type ComfyStandIn } from './comfyui/comfy-standin.js';

let comfy: ComfyStandIn | undefined;
afterEach(async () => {
  await comfy?.close();
  comfy = undefined;
});

/** A server-backed engine whose health the test sets. */
function serverEngine(state: { up: boolean }, held = 0): Engine {
  return {
    ...createSyntheticEngine(),
    name: 'openai',
    capabilities: () => ({ llm: ['llama3'] }),
    health: async () => ({
      reachable: state.up,
      models: state.up ? ['llama3'] : [],
      error: state.up ? null : 'connection refused',
      checkedAt: '2026-12-04T00:00:00.000Z',
    }),
    heldVram: async () => ({ gb: held, pids: held > 0 ? [1234] : [] }),
  };
}

describe('health gate', () => {
  it('advertises until a check says unreachable, nothing while it is, and again once it answers', async () => {
    const state = { up: false };
    const gated = gateOnHealth(serverEngine(state));
    expect(gated.capabilities()).toEqual({ llm: ['llama3'] });
    await gated.health?.();
    expect(gated.capabilities()).toEqual({});
    state.up = true;
    await gated.health?.();
    expect(gated.capabilities()).toEqual({ llm: ['llama3'] });
  });

  it('leaves an engine without a health check as it is', () => {
    const synthetic = createSyntheticEngine();
    expect(gateOnHealth(synthetic)).toBe(synthetic);
  });

  it('calls only a server that was never reached unreachable', () => {
    expect(isUnreachable(new EngineServerError('refused', { reached: false }))).toBe(true);
    expect(isUnreachable(new EngineServerError('500', { status: 500, reached: true }))).toBe(false);
    expect(isUnreachable(new Error('connection refused'))).toBe(false);
    // ComfyUI gone during a job and not back in time.
    expect(isUnreachable(new EngineJobError('gone', { retryable: true, unreachable: true }))).toBe(
      true,
    );
    expect(isUnreachable(new EngineJobError('oom', { retryable: true }))).toBe(false);
  });

  it('in multi, drops only the route that does not answer', async () => {
    const state = { up: false };
    const multi = createMultiEngine([
      { engine: createSyntheticEngine(), kinds: ['image'] },
      { engine: gateOnHealth(serverEngine(state)) },
    ]);
    await multi.health?.();
    expect(Object.keys(multi.capabilities())).toEqual(['image']);
    state.up = true;
    await multi.health?.();
    expect(multi.capabilities().llm).toEqual(['llama3']);
  });
});

describe('held VRAM', () => {
  it("ComfyUI: torch's reserved pool from /system_stats, asked live", async () => {
    comfy = await startComfyStandIn();
    const engine = createComfyEngine({ baseUrl: comfy.url, timeoutMs: 5_000 });
    const held = await engine.heldVram?.();
    expect(held?.pids).toEqual([]);
    expect(held?.gb).toBeCloseTo(6_000_000_000 / 1024 ** 3, 6);
    expect(comfy.requests.filter((r) => r.route === 'GET /system_stats')).toHaveLength(1);
  });

  it('ComfyUI: nothing held when the server does not answer (never rejects)', async () => {
    comfy = await startComfyStandIn();
    const url = comfy.url;
    await comfy.close();
    comfy = undefined;
    const engine = createComfyEngine({ baseUrl: url, timeoutMs: 5_000 });
    expect(await engine.heldVram?.()).toEqual({ gb: 0, pids: [] });
  });

  it("multi: for a model, its route's engine; without one, the most any route holds", async () => {
    const up = { up: true };
    const multi = createMultiEngine([
      { engine: serverEngine(up, 6), models: ['big'] },
      { engine: serverEngine(up, 2), models: ['small'] },
      { engine: createSyntheticEngine(), kinds: ['image'] },
    ]);
    expect(await multi.heldVram?.('small')).toEqual({ gb: 2, pids: [1234] });
    expect(await multi.heldVram?.('big')).toEqual({ gb: 6, pids: [1234] });
    expect((await multi.heldVram?.())?.gb).toBe(6);
    expect(await multi.heldVram?.('not-served')).toEqual({ gb: 0, pids: [] });
  });
});
