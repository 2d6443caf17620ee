// The window's engine commands on a real worker and config file, against loopback stand-ins:
// schema bounds, detect, add (once), a GGUF path, the file picker, list and test.
import { afterEach, describe, expect, it } from 'vitest';
import { applyCommand, parseCommand } from '../../../src/core/control/commands.js';
import type { Harness } from '../../helpers/harness.js';
import { startHarness } from '../../helpers/harness.js';
import { startDetectStandIns, type DetectStandIns } from '../engine/detect/standins.js';

let h: Harness | undefined;
let standIns: DetectStandIns | undefined;
afterEach(async () => {
  await h?.close();
  await standIns?.close();
  h = undefined;
  standIns = undefined;
});

describe('engine command schema', () => {
  it.each([
    { type: 'addDetectedEngine', server: 'comfyui', port: 0 },
    { type: 'addDetectedEngine', server: 'comfyui', port: 70_000 },
    { type: 'addDetectedEngine', server: 'comfyui', port: 1.5 },
    { type: 'addLlamaModel', path: '' },
    { type: 'addLlamaModel', path: '/a\0b.gguf' },
    { type: 'addLlamaModel', path: 'x'.repeat(5_000) },
    { type: 'testEngine', where: '' },
    { type: 'detectEngines', ports: { comfyui: 1 } },
  ])('refuses %o', (payload) => {
    expect(parseCommand(payload).ok).toBe(false);
  });
});

describe('engine commands', () => {
  it('detects, adds a server once, then lists and tests it', async () => {
    standIns = await startDetectStandIns();
    h = await startHarness();
    const host = { detectPorts: standIns.ports };
    const detected = await applyCommand(h.worker, host, { type: 'detectEngines' });
    expect(detected.ok && detected.detected?.map((d) => [d.server, d.configured])).toEqual([
      ['comfyui', false],
      ['a1111', false],
      ['ollama', false],
    ]);

    const add = {
      type: 'addDetectedEngine',
      server: 'ollama',
      port: standIns.ports.ollama,
    } as const;
    const added = await applyCommand(h.worker, host, add);
    expect(added).toMatchObject({ ok: true, message: expect.stringContaining('added Ollama') });
    await applyCommand(h.worker, host, add);
    expect(h.store.current().engines).toEqual([
      { engine: 'openai', base_url: standIns.ollama.url },
    ]);
    expect(h.store.current().engine).toBe('openai');

    const again = await applyCommand(h.worker, host, { type: 'detectEngines' });
    expect(again.ok && again.detected?.find((d) => d.server === 'ollama')?.configured).toBe(true);

    const listed = await applyCommand(h.worker, host, { type: 'listEngines' });
    expect(listed).toMatchObject({
      ok: true,
      engines: [
        {
          where: 'engine',
          engine: 'openai',
          reachable: true,
          models: ['codellama:latest', 'gemma2:27b'],
        },
      ],
    });
    const tested = await applyCommand(h.worker, host, { type: 'testEngine', where: 'engine' });
    expect(tested).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^llm on codellama:latest in \d+\.\d s: Hello$/),
    });
  });

  it('refuses an unknown server and a relative or non-GGUF path, writing nothing', async () => {
    h = await startHarness();
    const before = h.store.current();
    expect(
      await applyCommand(h.worker, {}, { type: 'addDetectedEngine', server: 'nginx', port: 80 }),
    ).toEqual({ ok: false, error: 'unknown server "nginx"' });
    for (const path of ['models/tiny.gguf', '/models/tiny.bin']) {
      expect(await applyCommand(h.worker, {}, { type: 'addLlamaModel', path })).toEqual({
        ok: false,
        error: `${JSON.stringify(path)} is not an absolute path to a .gguf file`,
      });
    }
    expect(h.store.current()).toEqual(before);
  });

  it('adds GGUF files to one built-in engine table', async () => {
    h = await startHarness();
    await applyCommand(h.worker, {}, { type: 'addLlamaModel', path: '/models/tiny-q4.gguf' });
    await applyCommand(h.worker, {}, { type: 'addLlamaModel', path: '/models/other.GGUF' });
    expect(h.store.current().engine).toBe('llama');
    expect(h.store.current().engines).toEqual([
      {
        engine: 'llama',
        model_files: { 'tiny-q4': '/models/tiny-q4.gguf', other: '/models/other.GGUF' },
      },
    ]);
  });

  it('answers the picked file, a cancel, and no picker in a browser', async () => {
    h = await startHarness();
    const pick = { type: 'pickModelFile' } as const;
    expect(
      await applyCommand(h.worker, { pickModelFile: () => Promise.resolve('/m/a.gguf') }, pick),
    ).toEqual({ ok: true, path: '/m/a.gguf' });
    expect(
      await applyCommand(h.worker, { pickModelFile: () => Promise.resolve(null) }, pick),
    ).toEqual({ ok: true, message: 'no file chosen' });
    expect(await applyCommand(h.worker, {}, pick)).toEqual({
      ok: false,
      error: 'no file picker here — type the .gguf file path instead',
    });
  });
});
