// The demo's engine: `synthetic` (the default) runs every job on the CPU without a model;
// `llama` writes the tiny random-weight GGUF model into the demo's temporary folder and runs the
// llm jobs on it through the built-in llama.cpp engine, the other kinds on the synthetic engine.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SYNTHETIC_MODELS } from '../../core/engine/synthetic/index.js';
import { tinyGguf } from '../../core/engine/llama/tiny-gguf.js';
import type { WorkerConfig } from '../../core/config/types.js';
import { TASK_KINDS } from '../../shared/snapshot.js';
import { UsageError } from '../io.js';

export const DEMO_ENGINES = ['synthetic', 'llama'] as const;
export type DemoEngine = (typeof DEMO_ENGINES)[number];

export function demoEngineOf(value: unknown): DemoEngine {
  const name = value === undefined ? 'synthetic' : String(value);
  const known = DEMO_ENGINES.find((engine) => engine === name);
  if (!known) {
    throw new UsageError(`--engine must be ${DEMO_ENGINES.join(' or ')} (got ${name})`);
  }
  return known;
}

/** The config keys that select the demo's engine; writes the tiny model for `llama`. */
export async function demoEngineConfig(
  engine: DemoEngine,
  tempDir: string,
): Promise<Pick<WorkerConfig, 'engine' | 'engines'>> {
  if (engine === 'synthetic') return { engine: 'synthetic', engines: [] };
  const modelFile = path.join(tempDir, 'tiny-random-llama.gguf');
  await writeFile(modelFile, tinyGguf());
  return {
    engine: 'multi',
    engines: [
      { engine: 'synthetic', kinds: TASK_KINDS.filter((kind) => kind !== 'llm') },
      {
        engine: 'llama',
        // The demo's llm jobs ask for the synthetic engine's llm model id.
        model_files: Object.fromEntries((SYNTHETIC_MODELS.llm ?? []).map((m) => [m, modelFile])),
        // A 0.5 MB model: the CPU and one thread are quickest (GPU start-up costs more).
        gpu: 'cpu',
        threads: 1,
        context_size: 512,
      },
    ],
  };
}
