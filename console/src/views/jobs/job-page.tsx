import { isFinished } from '../../../../lambdas/domain/job';
import { getJob } from '../../api/registry';
import { usePoll } from '../../hooks/use-poll';
import { ErrorAlert } from '../../ui/error-alert';
import { formatNumber, words } from '../../ui/format';
import { KeyValues } from '../../ui/key-values';
import { Page } from '../../ui/page';
import { ProgressBar } from '../../ui/progress-bar';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';
import { JobSummary, ResultLink } from './job-summary';

/** One job, read about every second until it completed or failed. */
export function JobPage({ id }: { id: string }) {
  const polled = usePoll(
    () => getJob(id),
    ({ job }) => isFinished(job),
    id,
  );
  const job = polled.data?.job;
  return (
    <Page title={job ? `Job ${id} (${words(job.kind)})` : `Job ${id}`}>
      <ErrorAlert error={polled.error} what="The job could not be read (the console keeps trying)." />
      {job && (
        <>
          <p role="status" class="live-state">
            State: <Status value={job.state} />
          </p>
          {!isFinished(job) && <ProgressBar label="Items processed" done={job.progress.processed} />}
          <KeyValues
            entries={[
              { term: 'Processed', value: formatNumber(job.progress.processed) },
              { term: 'Succeeded', value: formatNumber(job.progress.succeeded) },
              { term: 'Failed', value: formatNumber(job.progress.failed) },
              { term: 'Summary', value: <JobSummary job={job} /> },
              {
                term: 'Created',
                value: (
                  <>
                    <Time value={job.createdAt} /> by {job.createdBy}
                  </>
                ),
              },
              job.startedAt !== undefined && { term: 'Started', value: <Time value={job.startedAt} /> },
              job.completedAt !== undefined && { term: 'Finished', value: <Time value={job.completedAt} /> },
              Object.keys(job.options).length > 0 && {
                term: 'Options',
                value: Object.entries(job.options)
                  .map(([name, value]) => `${name}: ${String(value)}`)
                  .join('; '),
              },
              job.resultKey !== undefined && { term: 'Result file in the bucket', value: <code>{job.resultKey}</code> },
            ]}
          />
          {job.error && (
            <p class="failure">
              The job failed: <strong>{job.error.code}</strong>: {job.error.message}
            </p>
          )}
          <p>
            <ResultLink job={job} />
          </p>
        </>
      )}
    </Page>
  );
}
