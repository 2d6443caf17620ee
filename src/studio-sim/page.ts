// The status page at GET /: one self-contained HTML page (no external assets, refreshes itself)
// listing workers, jobs and image-result thumbnails. Every value from outside is escaped.
import type { JobView, WorkerView } from './views.js';

export interface PageData {
  workers: readonly WorkerView[];
  jobs: readonly JobView[];
  now: number;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The job's kind: the task's `kind`, or image for a legacy job without a task. */
export function jobKind(job: JobView): string {
  const kind = job.task?.kind;
  return typeof kind === 'string' ? kind : 'image';
}

/** The job's prompt as PROTOCOL.md defines it for each kind. */
export function jobPrompt(job: JobView): string {
  const task = job.task;
  if (!task) return job.prompt;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (jobKind(job)) {
    case 'llm': {
      const messages = Array.isArray(task.messages) ? (task.messages as unknown[]) : [];
      const last = messages.at(-1);
      return typeof last === 'object' && last !== null
        ? text((last as { content?: unknown }).content)
        : '';
    }
    case 'audio_stt':
      return text(task.input_url);
    case 'audio_tts':
      return text(task.text);
    default:
      return text(task.prompt);
  }
}

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.prompt { max-width: 28rem; overflow-wrap: anywhere; }
img { max-width: 96px; max-height: 96px; display: block; }
.queued { color: #666; } .leased { color: #b60; } .completed { color: #070; } .failed { color: #b00; }
`;

function cell(value: string | number | undefined, className?: string): string {
  const text = value === undefined ? '' : escapeHtml(String(value));
  return className === undefined
    ? `<td>${text}</td>`
    : `<td class="${escapeHtml(className)}">${text}</td>`;
}

function age(at: number | undefined, now: number): string {
  if (at === undefined) return 'never';
  return `${new Date(at).toISOString()} (${Math.max(0, Math.round((now - at) / 1000))} s ago)`;
}

function workerRow(worker: WorkerView, now: number): string {
  const caps = worker.capabilities;
  return `<tr>${[
    cell(worker.workerId),
    cell(worker.machineName),
    cell(age(worker.lastHeartbeatAt, now)),
    cell(`${caps.vramThresholdGb} GB`),
    cell(caps.autoEnabled ? 'yes' : 'no'),
    cell(worker.currentJobId ?? '—'),
    cell(worker.revoked ? 'revoked' : 'active'),
  ].join('')}</tr>`;
}

function resultCell(job: JobView): string {
  const result = job.result;
  if (!result) return cell(job.error ? `error: ${job.error.error}` : '');
  const href = `/results/${encodeURIComponent(job.jobId)}`;
  if (result.kind === 'file' && result.contentType.startsWith('image/')) {
    return `<td><a href="${escapeHtml(href)}"><img src="${escapeHtml(href)}" alt="${escapeHtml(`result of ${job.jobId}`)}"></a></td>`;
  }
  const label = result.kind === 'file' ? `${result.ext}, ${result.bytes} bytes` : 'JSON';
  return `<td><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></td>`;
}

function jobRow(job: JobView): string {
  return `<tr>${[
    cell(job.jobId),
    cell(job.state, job.state),
    cell(jobKind(job)),
    cell(job.model),
    cell(jobPrompt(job), 'prompt'),
    cell(job.attempts),
    cell(job.workerId ?? ''),
    resultCell(job),
  ].join('')}</tr>`;
}

function table(headings: readonly string[], rows: readonly string[], empty: string): string {
  if (rows.length === 0) return `<p>${escapeHtml(empty)}</p>`;
  const head = headings.map((heading) => `<th>${escapeHtml(heading)}</th>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderStatusPage(data: PageData): string {
  const counts = ['queued', 'leased', 'completed', 'failed']
    .map((state) => `${data.jobs.filter((job) => job.state === state).length} ${state}`)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Studio sim</title><style>${STYLE}</style></head>
<body><h1>Studio sim</h1>
<p>${data.workers.length} workers · ${escapeHtml(counts)}</p>
<h2>Workers</h2>
${table(
  ['worker', 'machine', 'last heartbeat', 'threshold', 'enabled', 'current job', 'token'],
  data.workers.map((worker) => workerRow(worker, data.now)),
  'No workers registered yet.',
)}
<h2>Jobs</h2>
${table(
  ['job', 'state', 'kind', 'model', 'prompt', 'attempts', 'worker', 'result'],
  data.jobs.map(jobRow),
  'No jobs yet.',
)}
</body></html>
`;
}
