// The built-in llama engine running real llama.cpp inference on a tiny model the test writes.
// Generations are a few tokens each: the machine's two cores are shared.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineProgress } from '../../../../src/core/engine/engine.js';
import {
  createLlamaEngine,
  type IdleTimer,
  type LlamaEngine,
  type LlamaEngineOptions,
} from '../../../../src/core/engine/llama/index.js';
import { tinyGguf } from '../../../../src/core/engine/llama/tiny-gguf.js';
import type { ChatCompletion } from '../../../../src/core/engine/synthetic/llm.js';
import type { LlmTask, Task } from '../../../../src/core/task/task.js';
import { tempDir } from '../../../helpers/harness.js';
import { cpuBackend, writeTinyModel } from './tiny-model.js';

/** A manual idle timer: the test fires it instead of waiting. */
function manualTimer() {
  const pending: { ms: number; fire: () => void; cancelled: boolean }[] = [];
  const timer: IdleTimer = (ms, fire) => {
    const entry = { ms, fire, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const live = () => pending.filter((p) => !p.cancelled);
  return { timer, live };
}

function llm(overrides: Partial<LlmTask> = {}): LlmTask {
  return {
    kind: 'llm',
    messages: [
      { role: 'system', content: 'You answer briefly.' },
      { role: 'user', content: 'Tell me about the river.' },
    ],
    max_tokens: 4,
    temperature: 0,
    ...overrides,
  };
}

function completionOf(result: Awaited<ReturnType<LlamaEngine['run']>>): ChatCompletion {
  if (result.type !== 'json') throw new Error('expected a JSON result');
  return result.value as ChatCompletion;
}

const never = () => new AbortController().signal;

let modelPath: string;
let otherPath: string;
const engines: LlamaEngine[] = [];

function engine(overrides: Partial<LlamaEngineOptions> = {}): LlamaEngine {
  const created = createLlamaEngine({
    modelFiles: { tiny: modelPath, other: otherPath },
    gpu: 'cpu',
    threads: 1,
    contextSize: 256,
    unloadAfterIdleMs: 600_000,
    startBackend: () => cpuBackend(),
    idleTimer: manualTimer().timer,
    ...overrides,
  });
  engines.push(created);
  return created;
}

beforeAll(async () => {
  modelPath = await writeTinyModel('tiny.gguf', 1);
  otherPath = await writeTinyModel('other.gguf', 2);
  await cpuBackend();
}, 60_000);

afterAll(async () => {
  for (const e of engines) await e.unload();
  await (await cpuBackend()).dispose();
});

describe('llama engine on a real tiny model', () => {
  it('answers an llm task with an OpenAI chat completion whose usage counts the tokens', async () => {
    const progress: EngineProgress[] = [];
    const result = await engine().run('tiny', llm({ max_tokens: 5 }), never(), {
      progress: (p) => progress.push(p),
    });
    const completion = completionOf(result);
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'tiny',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'length' }],
    });
    expect(completion.id).toMatch(/^chatcmpl-llama-/);
    expect(completion.choices[0]!.message.content.trim().length).toBeGreaterThan(0);
    expect(completion.usage.completion_tokens).toBe(5);
    expect(completion.usage.prompt_tokens).toBeGreaterThan(10);
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );
    // Tokens stream into the progress, counted against max_tokens.
    expect(progress[0]).toEqual({ unit: 'tokens', done: 0, total: 5 });
    expect(progress.at(-1)).toEqual({ unit: 'tokens', done: 5, total: 5 });
  }, 60_000);

  it('gives the same reply for the same seed and messages', async () => {
    const e = engine();
    const task = llm({ temperature: 0.9, seed: 42n, max_tokens: 4 });
    const first = completionOf(await e.run('tiny', task, never()));
    const second = completionOf(await e.run('tiny', task, never()));
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
  }, 60_000);

  it('ends the reply before a stop string and says finish_reason stop', async () => {
    const e = engine();
    const free = completionOf(await e.run('tiny', llm({ max_tokens: 6 }), never()));
    const words = free.choices[0]!.message.content.trim().split(/\s+/);
    expect(words.length).toBeGreaterThanOrEqual(3);
    const stop = ` ${words[2]!}`;
    const cut = completionOf(await e.run('tiny', llm({ max_tokens: 6, stop: [stop] }), never()));
    const content = cut.choices[0]!.message.content;
    expect(cut.choices[0]!.finish_reason).toBe('stop');
    expect(content).not.toContain(stop);
    expect(free.choices[0]!.message.content.startsWith(content)).toBe(true);
    expect(cut.usage.completion_tokens).toBeLessThan(6);
  }, 60_000);

  it('aborts a generation when the job is stopped, and runs the next job normally', async () => {
    const e = engine();
    const controller = new AbortController();
    let lastDone = 0;
    const run = e.run('tiny', llm({ max_tokens: 200 }), controller.signal, {
      progress: (p) => {
        lastDone = p.done;
        if (p.done >= 2) controller.abort(new Error('job timed out'));
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(run).rejects.toThrow(/aborted \(job timed out\)/);
    const next = completionOf(await e.run('tiny', llm({ max_tokens: 2 }), never()));
    expect(next.usage.completion_tokens).toBe(2);
    // The aborted generation stopped within a token or two instead of running to 200.
    expect(lastDone).toBeLessThan(10);
  }, 60_000);

  it('rejects at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    await expect(engine().run('tiny', llm(), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('keeps the model loaded between jobs and unloads it when the idle timer fires', async () => {
    const { timer, live } = manualTimer();
    const e = engine({ idleTimer: timer, unloadAfterIdleMs: 90_000 });
    expect(e.loadedModel()).toBeNull();
    await e.run('tiny', llm({ max_tokens: 1 }), never());
    expect(e.loadedModel()).toBe('tiny');
    expect(live().map((t) => t.ms)).toEqual([90_000]);

    await e.run('tiny', llm({ max_tokens: 1 }), never());
    // The second job cancelled the first countdown and started a new one.
    expect(live()).toHaveLength(1);
    expect(e.loadedModel()).toBe('tiny');

    live()[0]!.fire();
    await e.unload(); // waits for the unload the timer queued
    expect(e.loadedModel()).toBeNull();
    const again = completionOf(await e.run('tiny', llm({ max_tokens: 1 }), never()));
    expect(again.usage.completion_tokens).toBe(1);
    expect(e.loadedModel()).toBe('tiny');
  }, 60_000);

  it('says what it holds on the GPU: the loaded model and this process; nothing on CPU or unloaded', async () => {
    // The same real backend, named as a GPU one: the figures are the engine's, not llama.cpp's.
    const gpu = engine({ startBackend: async () => ({ ...(await cpuBackend()), name: 'CUDA' }) });
    expect(await gpu.heldVram?.()).toEqual({ gb: 0, pids: [] });
    await gpu.run('tiny', llm({ max_tokens: 1 }), never());
    const estimate = (await gpu.health()).modelVramGb?.tiny;
    expect(estimate).toBeGreaterThan(0);
    expect(await gpu.heldVram?.()).toEqual({ gb: estimate, pids: [process.pid] });
    await gpu.unload();
    expect(await gpu.heldVram?.()).toEqual({ gb: 0, pids: [] });

    const cpu = engine();
    await cpu.run('tiny', llm({ max_tokens: 1 }), never());
    expect(await cpu.heldVram?.()).toEqual({ gb: 0, pids: [] });
  });

  it('holds one model at a time: a job for another model swaps it', async () => {
    const e = engine();
    await e.run('tiny', llm({ max_tokens: 1 }), never());
    await e.run('other', llm({ max_tokens: 1 }), never());
    expect(e.loadedModel()).toBe('other');
  }, 60_000);

  it('fails clearly for a model file that does not exist', async () => {
    const missing = path.join(await tempDir('llama-missing-'), 'gone.gguf');
    const e = engine({ modelFiles: { gone: missing } });
    await expect(e.run('gone', llm(), never())).rejects.toThrow(
      `llama model "gone" cannot be used: ${missing}: it does not exist — point model_files`,
    );
    expect(e.loadedModel()).toBeNull();
  });

  it('fails clearly for a file that is not a GGUF model', async () => {
    const file = path.join(await tempDir('llama-foreign-'), 'notes.gguf');
    await writeFile(file, 'just some text, not a model');
    await expect(
      engine({ modelFiles: { notes: file } }).run('notes', llm(), never()),
    ).rejects.toThrow(`${file}: it is not a GGUF model`);
  });

  it('fails clearly for a folder or a device instead of a model file', async () => {
    const folder = await tempDir('llama-folder-');
    await expect(engine({ modelFiles: { f: folder } }).run('f', llm(), never())).rejects.toThrow(
      `llama model "f" cannot be used: ${folder}: it is a folder, not a .gguf file`,
    );
    // /dev/zero would read forever if it were opened as a model.
    await expect(
      engine({ modelFiles: { z: '/dev/zero' } }).run('z', llm(), never()),
    ).rejects.toThrow('llama model "z" cannot be used: /dev/zero: it is not a regular file');
  });

  it('fails clearly for a GGUF file that is cut short', async () => {
    const file = path.join(await tempDir('llama-corrupt-'), 'cut.gguf');
    await writeFile(file, tinyGguf().subarray(0, 100_000));
    await expect(engine({ modelFiles: { cut: file } }).run('cut', llm(), never())).rejects.toThrow(
      /llama model "cut" cannot be used: .*cut\.gguf: it is cut short \(100000 bytes, but its header lists weights up to byte \d+; download it again\)/,
    );
  });

  it('names the configured models when asked for one it has no file for', async () => {
    await expect(engine().run('llama-70b', llm(), never())).rejects.toThrow(
      'llama engine has no model file for "llama-70b" (model_files has: tiny, other)',
    );
  });

  it('refuses to fall back quietly to the CPU when the chosen GPU backend does not start', async () => {
    // Metal exists only on macOS: on Linux node-llama-cpp would start on the CPU instead.
    const e = engine({ gpu: 'metal', startBackend: undefined });
    const expected =
      'could not start llama.cpp with gpu = "metal": it would run on CPU instead — ' +
      'set gpu = "auto" (or "cpu")';
    await expect(e.run('tiny', llm(), never())).rejects.toThrow(expected);
    const health = await e.health!();
    expect(health).toMatchObject({ reachable: false, models: ['other', 'tiny'] });
    expect(health.error).toContain(expected);
    expect(health).not.toHaveProperty('backend');
  }, 60_000);

  it('does not take an inherited object key for a model file', async () => {
    await expect(engine().run('constructor', llm(), never())).rejects.toThrow(
      'llama engine has no model file for "constructor"',
    );
  });

  it('cannot serve kinds other than llm', async () => {
    const image: Task = {
      kind: 'image',
      prompt: 'a cat',
      width: 64,
      height: 64,
      steps: 1,
      seed: null,
      ext: 'png',
    };
    await expect(engine().run('tiny', image, never())).rejects.toThrow(
      'llama engine cannot serve image tasks',
    );
  });

  it('advertises its models for llm and reports the backend, devices and VRAM estimates', async () => {
    const missing = path.join(await tempDir('llama-missing-'), 'gone.gguf');
    const e = engine({ modelFiles: { tiny: modelPath, gone: missing } });
    expect(e.capabilities()).toEqual({ llm: ['gone', 'tiny'] });
    const health = await e.health!();
    expect(health).toMatchObject({
      reachable: true,
      models: ['tiny'],
      backend: 'CPU',
      devices: [],
    });
    expect(health.error).toContain(`llama model "gone" cannot be used: ${missing}`);
    expect(health.modelVramGb?.tiny).toBeGreaterThan(0);
    expect(health.modelVramGb?.tiny).toBeLessThan(1);
  });

  it('notices in its next health check that a model file went missing or came back', async () => {
    const file = path.join(await tempDir('llama-moving-'), 'moving.gguf');
    await writeFile(file, tinyGguf());
    const e = engine({ modelFiles: { moving: file } });
    expect((await e.health!()).models).toEqual(['moving']);
    await rm(file);
    const gone = await e.health!();
    expect(gone).toMatchObject({ reachable: false, models: [] });
    expect(gone.error).toContain('it does not exist');
    await writeFile(file, 'not a model any more');
    expect((await e.health!()).error).toContain('it is not a GGUF model');
    await writeFile(file, tinyGguf());
    expect(await e.health!()).toMatchObject({ reachable: true, models: ['moving'], error: null });
  });
});
