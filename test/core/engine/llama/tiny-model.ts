// Test helper: writes the tiny random-weight GGUF model into a fresh temporary folder, and starts
// llama.cpp once per test file on the CPU with one thread (on two shared cores llama.cpp's own
// thread count is about a thousand times slower).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tinyGguf } from '../../../../src/core/engine/llama/tiny-gguf.js';
import { startLlamaBackend, type LlamaBackend } from '../../../../src/core/engine/llama/runtime.js';
import { tempDir } from '../../../helpers/harness.js';

export async function writeTinyModel(name = 'tiny.gguf', seed = 1): Promise<string> {
  const file = path.join(await tempDir('llama-test-'), name);
  await writeFile(file, tinyGguf({ seed }));
  return file;
}

let shared: Promise<LlamaBackend> | null = null;

/** One CPU backend for the whole file: starting llama.cpp takes seconds here. */
export function cpuBackend(): Promise<LlamaBackend> {
  shared ??= startLlamaBackend('cpu', 1);
  return shared;
}
