// The llama [[engines]] table: every key bounded where it enters, errors that say what to fix.
// Nothing here loads llama.cpp: building the engine only checks the settings.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../../src/core/engine/build.js';

const FILE = '/models/tiny.gguf';

function fromTable(table: Record<string, unknown>) {
  return buildEngine('llama', { engines: [{ engine: 'llama', ...table }] });
}

describe('llama engine settings', () => {
  it('advertises every model of model_files for llm', () => {
    const engine = fromTable({ model_files: { b: FILE, a: '/models/a.gguf' } });
    expect(engine.name).toBe('llama');
    expect(engine.capabilities()).toEqual({ llm: ['a', 'b'] });
  });

  it('advertises only `models` when given, and each must have a file', () => {
    const files = { a: FILE, b: '/models/b.gguf' };
    expect(fromTable({ model_files: files, models: ['b'] }).capabilities()).toEqual({
      llm: ['b'],
    });
    expect(() => fromTable({ model_files: files, models: ['b', 'c'] })).toThrow(
      'engines[0].models: "c" has no file in model_files — add it to model_files in engines[0]',
    );
  });

  it('does not count an inherited object key as a model with a file', () => {
    expect(() => fromTable({ model_files: { a: FILE }, models: ['constructor'] })).toThrow(
      'engines[0].models: "constructor" has no file in model_files',
    );
  });

  it('asks for a table with model_files when engine = "llama" has none', () => {
    expect(() => buildEngine('llama', { engines: [] })).toThrow(
      'engine = "llama": the llama engine needs an [[engines]] table with engine = "llama" and ' +
        'model_files',
    );
  });

  it.each([
    [{ model_files: {} }, 'engines[0].model_files: needs at least one model id'],
    [{ model_files: { a: 'models/a.gguf' } }, 'model_files.a: must be an absolute path'],
    [{ model_files: { a: '/m/a\0.gguf' } }, 'model_files.a: must not contain a NUL character'],
    [{ model_files: { a: FILE }, gpu: 'rocm' }, 'engines[0].gpu: Invalid option'],
    [{ model_files: { a: FILE }, threads: -1 }, 'engines[0].threads: Too small'],
    [{ model_files: { a: FILE }, threads: 1.5 }, 'engines[0].threads: Invalid input'],
    [{ model_files: { a: FILE }, threads: 10_000 }, 'engines[0].threads: Too big'],
    [{ model_files: { a: FILE }, context_size: 0 }, 'engines[0].context_size: Too small'],
    [{ model_files: { a: FILE }, context_size: 1e9 }, 'engines[0].context_size: Too big'],
    [{ model_files: { a: FILE }, context_size: NaN }, 'engines[0].context_size'],
    [{ model_files: { a: FILE }, unload_after_idle_secs: -5 }, 'unload_after_idle_secs: Too small'],
    [{ model_files: { a: FILE }, unload_after_idle_secs: Infinity }, 'unload_after_idle_secs'],
    [{ model_files: { a: FILE }, base_url: 'http://x' }, 'Unrecognized key: "base_url"'],
    [{ model_files: { a: FILE }, kinds: ['image'] }, 'the llama engine cannot serve image tasks'],
  ])('rejects %j', (table, message) => {
    expect(() => fromTable(table)).toThrow(message);
  });

  it('names the value it got and where to fix it', () => {
    expect(() => fromTable({ model_files: { a: FILE }, context_size: 0 })).toThrow(
      /context_size: .* \(got 0\) — fix engines\[0\] in config\.toml/,
    );
  });

  it('accepts the bounds and the documented defaults', () => {
    expect(() =>
      fromTable({
        model_files: { a: FILE },
        gpu: 'cpu',
        threads: 0,
        context_size: 128,
        unload_after_idle_secs: 0,
      }),
    ).not.toThrow();
    for (const gpu of ['auto', 'cuda', 'vulkan', 'metal', 'cpu']) {
      expect(() => fromTable({ model_files: { a: FILE }, gpu })).not.toThrow();
    }
  });
});
