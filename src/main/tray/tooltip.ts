// The tray tooltip as a pure function of the snapshot and the time: the one headline's summary
// (src/shared/health.ts), plus how far and how long the running job has been going.
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { headlineOf } from '../../shared/health.js';
import { describeProgress } from '../../shared/format.js';
import { formatDuration } from '../../core/runtime/format.js';

/** Windows cuts tray tooltips at 127 characters; keep every platform to that. */
export const TOOLTIP_MAX = 127;

export function trayTooltipFor(s: WorkerSnapshot, now: number): string {
  const { state, summary } = headlineOf(s);
  const job = s.currentJob;
  const what =
    state.kind === 'working' && job
      ? `Working: ${job.kind} job (${[
          job.progress ? describeProgress(job.progress) : '',
          formatDuration(now - Date.parse(job.startedAt)),
        ]
          .filter((part) => part !== '')
          .join(', ')})`
      : summary;
  const update = s.update.kind === 'ready' ? ` · update ready (${s.update.version})` : '';
  const free =
    s.vramThresholdGb < s.settings.vramThresholdGb
      ? ` · ${s.vramThresholdGb} GB VRAM free now`
      : '';
  const text = `Studio Worker — ${what}${free}${update}`;
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}
