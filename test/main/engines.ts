// Engines for the main-process tests: the synthetic engine behind a gate the test opens, so a
// job can be held "running" while the test quits, updates or checks the tray.
import type { Engine } from '../../src/core/engine/engine.js';
import { createSyntheticEngine, SYNTHETIC_MODELS } from '../../src/core/engine/synthetic/index.js';

export const IMAGE_MODEL = SYNTHETIC_MODELS.image![0]!;

export interface GatedEngine {
  engine: Engine;
  /** Lets every held and later job run to the end. */
  release(): void;
  /** How many jobs have started. */
  started(): number;
}

export function gatedEngine(opts: { failPrompt?: string } = {}): GatedEngine {
  const base = createSyntheticEngine();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = 0;
  const engine: Engine = {
    name: base.name,
    capabilities: () => base.capabilities(),
    async run(model, task, signal) {
      started += 1;
      if (opts.failPrompt && 'prompt' in task && task.prompt === opts.failPrompt)
        throw new Error('the GPU ran out of memory');
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new Error('stopped: the grace period is over'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        void gate.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      return base.run(model, task, signal);
    },
  };
  return { engine, release: () => release(), started: () => started };
}

/** A job for IMAGE_MODEL the sim hands out. */
export function imageJob(prompt = 'a fox') {
  return {
    model: IMAGE_MODEL,
    task: { kind: 'image' as const, prompt, width: 32, height: 32, ext: 'png' },
  };
}
