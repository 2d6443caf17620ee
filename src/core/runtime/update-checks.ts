// "Check for updates" on request (the tray, the window, the CLI): one forced auto-update tick,
// remembering when it last ran so the next one knows; a downloaded update goes to `onUpdated`
// (the lifecycle drains, then installs).
import type { UpdateSource } from '../update/source.js';
import type { AutoUpdateDecision } from './auto-update.js';
import { autoUpdateTick } from './auto-update.js';
import type { TickContext } from './context.js';

/** Returns the check to run on request; it answers null when there is no update source. */
export function updateChecksOnRequest(
  ctx: TickContext,
  source: UpdateSource | undefined,
  onUpdated: (version: string) => void,
): () => Promise<AutoUpdateDecision | null> {
  let lastCheckAt: number | null = null;
  return async () => {
    if (!source) return null;
    const decision = await autoUpdateTick({ ...ctx, source, lastCheckAt, force: true });
    lastCheckAt = ctx.clock.now();
    if (decision.kind === 'updated') onUpdated(decision.version);
    return decision;
  };
}
