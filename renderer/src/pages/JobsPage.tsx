// Jobs: the running job, then the last 50 finished ones (newest first) with an outcome filter;
// `#/jobs/<id>` shows one job in full with its log lines.
import { useState } from 'react';
import type { CurrentJob, RecentJob } from '../../../src/shared/snapshot';
import { formatDuration } from '../../../src/shared/format';
import { InlineSelect } from '../components/InlineSelect';
import { JobCard } from '../components/JobCard';
import { LogLine } from '../components/LogLine';
import type { OutcomeFilter } from '../jobs';
import { filterJobs, OUTCOME_FILTERS, outcomeLabel, outcomeReason } from '../jobs';
import { hrefOf } from '../routes';
import { useSnapshot } from '../store';
import { clockTime, clockTimeSeconds } from '../units';

export function JobsPage({ jobId }: { jobId?: string | undefined }) {
  return jobId === undefined ? <JobList /> : <JobDetail jobId={jobId} />;
}

function JobList() {
  const s = useSnapshot();
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const jobs = filterJobs(s.recentJobs, filter);
  return (
    <>
      <h1 tabIndex={-1}>Jobs</h1>
      <JobCard job={s.currentJob} />
      <section className="card" aria-labelledby="recent-heading">
        <div className="section-head">
          <h2 id="recent-heading">Recent jobs</h2>
          <InlineSelect
            label="Outcome"
            value={filter}
            options={OUTCOME_FILTERS}
            onChange={setFilter}
          />
        </div>
        {jobs.length === 0 ? (
          <p className="muted">
            {s.recentJobs.length === 0 ? 'No jobs finished yet.' : 'No jobs match this filter.'}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="jobs">
              <caption className="visually-hidden">
                {jobs.length} of {s.recentJobs.length} recent jobs, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Finished</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Model</th>
                  <th scope="col">Prompt</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Duration</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <JobRow key={`${job.id}-${job.finishedAt}`} job={job} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function JobRow({ job }: { job: RecentJob }) {
  const outcome = outcomeLabel(job.outcome);
  const reason = outcomeReason(job.outcome);
  return (
    <tr>
      <td>{clockTime(job.finishedAt)}</td>
      <td>{job.kind}</td>
      <td className="break">{job.model}</td>
      <td className="prompt-cell">{job.promptPreview}</td>
      <td>
        <span className={`pill tone-${outcome.tone}`}>{outcome.text}</span>
        {reason ? <div className="reason">{reason}</div> : null}
      </td>
      <td className="num">{formatDuration(job.durationMs)}</td>
      <td>
        <a href={hrefOf({ page: 'jobs', jobId: job.id })}>
          Details <span className="visually-hidden">of job {job.id}</span>
        </a>
      </td>
    </tr>
  );
}

function JobDetail({ jobId }: { jobId: string }) {
  const s = useSnapshot();
  const running = s.currentJob?.id === jobId ? s.currentJob : null;
  const finished = s.recentJobs.find((j) => j.id === jobId) ?? null;
  const job: CurrentJob | RecentJob | null = running ?? finished;
  const logs = s.logs.filter((l) => l.jobId === jobId);
  return (
    <>
      <p>
        <a href={hrefOf({ page: 'jobs' })}>← All jobs</a>
      </p>
      <h1 tabIndex={-1}>Job {jobId}</h1>
      {!job ? (
        <p className="card">This job is not among the running or the last 50 jobs.</p>
      ) : (
        <section className="card" aria-label="Job details">
          <dl className="facts">
            <dt>State</dt>
            <dd>
              {finished && !running ? (
                <span className={`pill tone-${outcomeLabel(finished.outcome).tone}`}>
                  {outcomeLabel(finished.outcome).text}
                </span>
              ) : (
                'Running'
              )}
            </dd>
            {finished && outcomeReason(finished.outcome) ? (
              <>
                <dt>Reason</dt>
                <dd className="break">{outcomeReason(finished.outcome)}</dd>
              </>
            ) : null}
            <dt>Kind</dt>
            <dd>{job.kind}</dd>
            <dt>Model</dt>
            <dd className="break">{job.model}</dd>
            <dt>Started</dt>
            <dd>{clockTimeSeconds(job.startedAt)}</dd>
            {finished && !running ? (
              <>
                <dt>Duration</dt>
                <dd>{formatDuration(finished.durationMs)}</dd>
              </>
            ) : null}
            <dt>Prompt</dt>
            <dd className="prompt-full">
              {job.promptPreview || <span className="muted">(none)</span>}
            </dd>
          </dl>
        </section>
      )}
      <section className="card" aria-labelledby="job-log-heading">
        <h2 id="job-log-heading">Log lines</h2>
        {logs.length === 0 ? (
          <p className="muted">No log lines for this job in the last 1000 entries.</p>
        ) : (
          <ol className="job-log">
            {logs.map((l, i) => (
              <li key={`${l.ts}-${i}`}>
                <LogLine entry={l} showJob={false} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
