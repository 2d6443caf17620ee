// Engine health decides what is advertised: a real worker against the real local studio, with
// a real OpenAI-compatible server on loopback that the test stops and starts. Measured before:
// with the server down the worker kept claiming and failed eight jobs in a row ("connection
// refused") while status said "idle, waiting for jobs".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEngine } from '../../src/core/engine/build.js';
import { SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';
import { describeState } from '../../src/core/runtime/format.js';
import { fixture } from '../core/host/fixtures.js';
import type { Harness } from '../helpers/harness.js';
import { eventually, startHarness } from '../helpers/harness.js';

const CHAT = fixture('openai-compatible/ollama-v1-chat-completions-llama3-finish-length.json');

/** An Ollama-like server on a fixed loopback port, stopped and started by the test. */
function ollamaStandIn() {
  let server: Server | null = null;
  let port = 0;
  const listen = async () => {
    const s = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && req.url === '/v1/models')
          res.end(JSON.stringify({ object: 'list', data: [{ id: 'llama3', object: 'model' }] }));
        else if (req.method === 'POST' && req.url === '/v1/chat/completions') res.end(CHAT);
        else res.writeHead(404).end('{}');
      });
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    start: listen,
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

let h: Harness | undefined;
let ollama: ReturnType<typeof ollamaStandIn> | undefined;
afterEach(async () => {
  await h?.close();
  await ollama?.stop();
  h = undefined;
  ollama = undefined;
});

const llmJob = {
  model: 'llama3',
  task: { kind: 'llm', messages: [{ role: 'user', content: 'hi' }] },
};
const imageModel = SYNTHETIC_MODELS.image![0]!;
const imageJob = {
  model: imageModel,
  task: { kind: 'image', prompt: 'p', width: 8, height: 8, ext: 'png' },
};

function claims(harness: Harness): number {
  return harness.sim.requests().filter((r) => r.route === 'claim').length;
}

async function heartbeatsLater(harness: Harness, n = 3) {
  const seen = harness.sim.heartbeats().length;
  await eventually(() => harness.sim.heartbeats().length >= seen + n, `${n} more heartbeats`);
}

const advertised = (harness: Harness) =>
  harness.sim.heartbeats().at(-1)?.capabilities.supportedModels ?? [];

describe('engine health decides what is advertised', () => {
  it('drops the models of an engine that does not answer, says why, claims nothing, and brings them back', async () => {
    ollama = ollamaStandIn();
    await ollama.start();
    await ollama.stop(); // the port is known, nothing listens on it
    const engine = buildEngine('openai', {
      engines: [{ engine: 'openai', base_url: ollama.url, models: ['llama3'] }],
    });
    h = await startHarness({ engine });
    const harness = h;
    const reason =
      /^openai engine not answering \(.*connection refused.*\): its models are not advertised until it answers$/;
    await eventually(
      () => reason.test(harness.worker.observers.snapshot().pausedReason ?? ''),
      'the worker paused for the engine',
    );
    const job = harness.sim.enqueue(llmJob);
    await heartbeatsLater(harness);
    expect(advertised(harness)).toEqual([]);
    expect(harness.sim.heartbeats().at(-1)?.capabilities.autoEnabled).toBe(false);
    expect(describeState(harness.worker.observers.snapshot())).toMatch(
      /^paused: openai engine not answering/,
    );
    const before = claims(harness);
    await heartbeatsLater(harness);
    expect(claims(harness)).toBe(before);
    expect(harness.sim.job(job)).toMatchObject({ state: 'queued', attempts: 0 });

    // The server comes back: its models return, the pause ends, the job runs.
    await ollama.start();
    await eventually(() => harness.sim.job(job)?.state === 'completed', 'the llm job completed');
    expect(advertised(harness)).toEqual(['llama3']);
    expect(harness.worker.observers.snapshot().pausedReason).toBeNull();
  });

  it('checks at once when a job fails because the engine is unreachable: one failure, not eight', async () => {
    ollama = ollamaStandIn();
    await ollama.start();
    const engine = buildEngine('openai', {
      engines: [{ engine: 'openai', base_url: ollama.url, models: ['llama3'] }],
    });
    h = await startHarness({ engine });
    const harness = h;
    await eventually(() => advertised(harness).includes('llama3'), 'llama3 advertised');
    // Down between two health checks (the next one is a minute away at the default schedule,
    // 1.2 s here): the first job to fail must trigger the check.
    await ollama.stop();
    const jobs = Array.from({ length: 8 }, () => harness.sim.enqueue(llmJob));
    await eventually(
      () => harness.worker.observers.snapshot().pausedReason !== null,
      'the worker paused for the engine',
    );
    await heartbeatsLater(harness);
    const failed = jobs.filter((id) => (harness.sim.job(id)?.attempts ?? 0) > 0);
    expect(failed).toHaveLength(1);
    expect(harness.sim.job(failed[0]!)?.error?.error).toContain('connection refused');
    expect(advertised(harness)).toEqual([]);
  });

  it('in multi, drops only the route whose engine does not answer and keeps claiming for the rest', async () => {
    ollama = ollamaStandIn();
    await ollama.start();
    await ollama.stop();
    const engine = buildEngine('multi', {
      engines: [
        { engine: 'synthetic', kinds: ['image'] },
        { engine: 'openai', base_url: ollama.url, models: ['llama3'] },
      ],
    });
    h = await startHarness({ engine });
    const harness = h;
    await eventually(
      () => harness.worker.observers.snapshot().engineHealth?.reachable === false,
      'the engine check',
    );
    const llm = harness.sim.enqueue(llmJob);
    const image = harness.sim.enqueue(imageJob);
    await eventually(() => harness.sim.job(image)?.state === 'completed', 'the image job');
    await heartbeatsLater(harness);
    expect(advertised(harness)).toContain(imageModel);
    expect(advertised(harness)).not.toContain('llama3');
    expect(harness.sim.job(llm)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(harness.worker.observers.snapshot().pausedReason).toBeNull();
    expect(describeState(harness.worker.observers.snapshot())).toMatch(
      /^idle, waiting for jobs; not advertised while its engine does not answer: .*connection refused/,
    );

    await ollama.start();
    await eventually(() => harness.sim.job(llm)?.state === 'completed', 'the llm job completed');
    expect(advertised(harness)).toContain('llama3');
    expect(describeState(harness.worker.observers.snapshot())).toBe('idle, waiting for jobs');
  });
});
