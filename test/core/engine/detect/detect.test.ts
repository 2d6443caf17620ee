// Detection against loopback stand-ins on random ports: what answers is found with its models,
// what does not is reported with the reason, and a server that never answers costs one deadline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  detectEngines,
  parseDetectPorts,
  type DetectedServer,
} from '../../../../src/core/engine/detect/detect.js';
import { routedServer, stall, type Loopback } from '../remote/server.js';
import { startDetectStandIns, type DetectStandIns } from './standins.js';

let standIns: DetectStandIns;
let extra: Loopback | undefined;
beforeEach(async () => {
  standIns = await startDetectStandIns();
});
afterEach(async () => {
  await standIns.close();
  await extra?.close();
  extra = undefined;
});

const found = (outcomes: Awaited<ReturnType<typeof detectEngines>>): DetectedServer[] =>
  outcomes.flatMap((o) => (o.found ? [o.detected] : []));

describe('detectEngines', () => {
  it('finds Ollama, AUTOMATIC1111 and ComfyUI with their models and the table to add', async () => {
    const outcomes = await detectEngines({ ports: standIns.ports, timeoutMs: 2_000 });
    const byServer = Object.fromEntries(found(outcomes).map((d) => [d.server, d]));
    expect(Object.keys(byServer).sort()).toEqual(['a1111', 'comfyui', 'ollama']);
    expect(byServer.ollama).toMatchObject({
      models: ['codellama:latest', 'gemma2:27b'],
      table: { engine: 'openai', base_url: standIns.ollama.url },
    });
    expect(byServer.a1111).toMatchObject({
      models: ['breakdomainrealistic_R2333', 'CounterfeitV30_v30'],
      table: { engine: 'a1111', base_url: standIns.a1111.url },
    });
    expect(byServer.comfyui?.models).toEqual(standIns.comfy.checkpoints);
    expect(byServer.comfyui?.table.engine).toBe('comfyui');
  });

  it('reports each closed port with the reason', async () => {
    const outcomes = await detectEngines({ ports: standIns.ports, timeoutMs: 2_000 });
    const vllm = outcomes.find((o) => o.server === 'vllm');
    expect(vllm).toMatchObject({ found: false, port: standIns.ports.vllm });
    expect(vllm && !vllm.found && vllm.reason).toMatch(/ECONNREFUSED|refused/i);
  });

  it('does not take a server that answers something else for the one on that port', async () => {
    // The Ollama stand-in has no /v1/models: probed as vLLM, it is not vLLM.
    const outcomes = await detectEngines({
      ports: { ...standIns.ports, vllm: standIns.ports.ollama },
      timeoutMs: 2_000,
    });
    expect(outcomes.find((o) => o.server === 'vllm')?.found).toBe(false);
  });

  it('gives up on a server that never answers at its deadline, the others still found', async () => {
    // real time: the deadline is a real timer on a real socket that stays open.
    extra = await routedServer({ 'GET /v1/models': stall });
    const started = Date.now();
    const outcomes = await detectEngines({
      ports: { ...standIns.ports, lmstudio: Number(new URL(extra.url).port) },
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(outcomes.find((o) => o.server === 'lmstudio')?.found).toBe(false);
    expect(found(outcomes)).toHaveLength(3);
  });

  it('stops every probe when its signal is aborted', async () => {
    extra = await routedServer({ 'GET /v1/models': stall });
    const stop = new AbortController();
    stop.abort();
    const outcomes = await detectEngines({
      ports: { ...standIns.ports, lmstudio: Number(new URL(extra.url).port) },
      timeoutMs: 30_000,
      signal: stop.signal,
    });
    expect(found(outcomes)).toEqual([]);
  });
});

describe('parseDetectPorts', () => {
  it('reads name=port pairs', () => {
    expect(parseDetectPorts(['comfyui=8189', 'vllm=9000'])).toEqual({ comfyui: 8189, vllm: 9000 });
  });

  it.each(['comfyui=0', 'comfyui=70000', 'nginx=80', 'comfyui', 'comfyui=-1', 'comfyui=NaN'])(
    'refuses %s, naming it',
    (entry) => {
      expect(() => parseDetectPorts([entry])).toThrow(JSON.stringify(entry));
    },
  );
});
