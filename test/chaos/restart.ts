// The second half of the stop tests: a result left in the spool is uploaded by the next `run`.
import { expect } from 'vitest';
import type { StudioSim } from '../../src/studio-sim/index.js';
import { spawnCli } from '../helpers/cli.js';
import { eventually } from '../helpers/harness.js';

/** Starts `run` again, waits for job `id` to be completed from the spool, and stops it cleanly. */
export async function uploadsAfterRestart(
  sim: StudioSim,
  id: string,
  configPath: string,
): Promise<void> {
  // Real time: a real process uploading to a real studio.
  const again = spawnCli(['run', '--config', configPath]);
  await eventually(() => sim.job(id)?.state === 'completed', 'the upload after restart', 15_000);
  again.child.kill('SIGTERM');
  expect((await again.exited).code).toBe(0);
}
