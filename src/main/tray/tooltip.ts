// The tray tooltip as a pure function of the snapshot and the time: what the worker is doing,
// in the words of the status page, plus how long the running job has been going.
import type { WorkerSnapshot } from '../../shared/snapshot.js';
import { workerStatusOf } from '../../shared/worker-status.js';
import { describeProgress } from '../../shared/format.js';
import { describeState, formatDuration } from '../../core/runtime/format.js';

/** Windows cuts tray tooltips at 127 characters; keep every platform to that. */
export const TOOLTIP_MAX = 127;

export function trayTooltipFor(s: WorkerSnapshot, now: number): string {
  const status = workerStatusOf(s);
  const what =
    status.kind === 'running'
      ? `running ${status.job.kind} job (${[
          status.job.progress ? describeProgress(status.job.progress) : '',
          formatDuration(now - Date.parse(status.job.startedAt)),
        ]
          .filter((part) => part !== '')
          .join(', ')})`
      : describeState(s);
  const update = s.update.kind === 'ready' ? ` · update ready (${s.update.version})` : '';
  const free =
    s.vramThresholdGb < s.settings.vramThresholdGb
      ? ` · ${s.vramThresholdGb} GB VRAM free now`
      : '';
  const text = `Studio Worker — ${what}${free}${update}`;
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}
