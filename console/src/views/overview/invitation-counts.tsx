import { isFinished } from '../../../../lambdas/domain/job';
import { getJob, listJobs, runScheduledJob } from '../../api/registry';
import { useAction } from '../../hooks/use-action';
import { usePoll } from '../../hooks/use-poll';
import { invitationCounts } from '../../model/audit-counts';
import { href } from '../../router';
import { ErrorAlert } from '../../ui/error-alert';
import { formatNumber, words } from '../../ui/format';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';
import { useState } from 'preact/hooks';
import type { JobView } from '../../../../lambdas/contract/views';

const AUDIT_JOB = 'invitation-audit';

/** The newest invitation audit, or the run started here; null when none ever ran. */
const readAudit = async (runId: string | undefined): Promise<JobView | null> =>
  runId ? (await getJob(runId)).job : ((await listJobs({ kind: AUDIT_JOB, limit: 1 })).jobs[0] ?? null);

/**
 * Invitations by status and type, and those expiring soon, as the newest invitation audit counted them, with a button
 * that runs the audit now and follows it.
 */
export function InvitationCounts() {
  const [runId, setRunId] = useState<string>();
  const polled = usePoll(
    () => readAudit(runId),
    (job) => job === null || isFinished(job),
    runId ?? 'newest',
  );
  const run = useAction();
  const job = polled.data ?? undefined;
  const running = job !== undefined && !isFinished(job);
  const counts = job?.state === 'completed' ? invitationCounts(job.summary) : undefined;
  const start = async () => {
    const started = await run.run(() => runScheduledJob(AUDIT_JOB));
    if (started) setRunId(started.job.id);
  };
  return (
    <>
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading">Invitations</h2>
        <ErrorAlert error={polled.error} what="The invitation audit could not be read." />
        <ErrorAlert error={run.error} what="The audit did not start." />
        <p role="status">
          {polled.data === null && 'No invitation audit has run yet.'}
          {job && running && (
            <>
              An invitation audit is running (<a href={href.job(job.id)}>job {job.id}</a>,{' '}
              {formatNumber(job.progress.processed)} read so far)…
            </>
          )}
          {job?.state === 'failed' && (
            <>
              The newest invitation audit (<a href={href.job(job.id)}>job {job.id}</a>) failed: {job.error?.message}
            </>
          )}
          {job?.state === 'completed' && (
            <>
              As of <Time value={job.completedAt} /> (<a href={href.job(job.id)}>invitation audit {job.id}</a>).
            </>
          )}
        </p>
        <button type="button" onClick={start} disabled={running || run.busy}>
          {running || run.busy ? 'Audit running…' : 'Run audit now'}
        </button>
        {counts && counts.byStatus.length + counts.byType.length === 0 && (
          <p>This audit's summary carries no counts: run the audit again once the registry records them.</p>
        )}
        {counts && counts.byStatus.length > 0 && <CountTable caption="By status" rows={counts.byStatus} status />}
        {counts && counts.byType.length > 0 && <CountTable caption="By type" rows={counts.byType} />}
      </section>
      {counts && (
        <section aria-labelledby="expiring-heading">
          <h2 id="expiring-heading">Expiring soon</h2>
          <p>Live invitations expiring</p>
          <ul>
            <li>
              within 7 days:{' '}
              {counts.expiring.within7Days === undefined ? 'not counted' : formatNumber(counts.expiring.within7Days)}
            </li>
            <li>
              within 30 days:{' '}
              {counts.expiring.within30Days === undefined ? 'not counted' : formatNumber(counts.expiring.within30Days)}
            </li>
          </ul>
        </section>
      )}
    </>
  );
}

function CountTable({ caption, rows, status }: { caption: string; rows: [string, number][]; status?: boolean }) {
  return (
    <table class="counts">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{status ? 'Status' : 'Type'}</th>
          <th scope="col">Invitations</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, count]) => (
          <tr key={name}>
            <th scope="row">{status ? <Status value={name} /> : words(name)}</th>
            <td>{formatNumber(count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
