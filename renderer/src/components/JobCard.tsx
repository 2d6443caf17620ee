// The running job: kind, model, prompt preview, the engine's progress and how long it has been running (ticking).
import type { CurrentJob } from '../../../src/shared/snapshot';
import { describeProgress, formatDuration } from '../../../src/shared/format';
import { hrefOf } from '../routes';
import { useNow } from '../use-now';

export function JobCard({
  job,
  headingLevel = 2,
}: {
  job: CurrentJob | null;
  headingLevel?: 2 | 3;
}) {
  const now = useNow();
  const Heading = `h${headingLevel}` as const;
  return (
    <section className="card job-card" aria-labelledby="current-job-heading">
      <Heading id="current-job-heading">Current job</Heading>
      {job ? (
        <dl className="facts">
          <dt>Kind</dt>
          <dd>{job.kind}</dd>
          <dt>Model</dt>
          <dd>{job.model}</dd>
          <dt>Prompt</dt>
          <dd className="prompt">{job.promptPreview || <span className="muted">(none)</span>}</dd>
          <dt>Running for</dt>
          <dd data-testid="elapsed">{formatDuration(now - Date.parse(job.startedAt))}</dd>
          {job.progress ? (
            <>
              <dt>Progress</dt>
              <dd data-testid="progress">
                {describeProgress(job.progress)}
                {job.progress.stage && job.progress.total !== null
                  ? ` · ${job.progress.stage}`
                  : ''}
              </dd>
            </>
          ) : null}
          <dt>Job id</dt>
          <dd>
            <a href={hrefOf({ page: 'jobs', jobId: job.id })}>{job.id}</a>
          </dd>
        </dl>
      ) : (
        <p className="muted">No job running.</p>
      )}
    </section>
  );
}
