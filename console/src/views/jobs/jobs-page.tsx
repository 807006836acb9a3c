import { useState } from 'preact/hooks';
import { JOB_KINDS } from '../../../../lambdas/domain/job';
import { listJobs } from '../../api/registry';
import { usePages } from '../../hooks/use-pages';
import { href } from '../../router';
import { Field } from '../../ui/field';
import { formatNumber, words } from '../../ui/format';
import { LoadMore } from '../../ui/load-more';
import { Page } from '../../ui/page';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';
import { JobSummary, ResultLink } from './job-summary';
import { RevokeEverything } from './revoke-everything';

/** Jobs (exports, device operations, cascades, the emergency revoke-all, scheduled runs), newest first. */
export function JobsPage() {
  const [kind, setKind] = useState('');
  const pages = usePages(async (cursor) => {
    const page = await listJobs({ kind: kind || undefined }, cursor);
    return { items: page.jobs, cursor: page.cursor };
  }, kind);
  return (
    <Page title="Jobs">
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs, newest first</h2>
        <div class="filters">
          <Field
            label="Kind"
            control={(props) => (
              <select {...props} value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
                <option value="">any</option>
                {JOB_KINDS.map((value) => (
                  <option key={value} value={value}>
                    {words(value)}
                  </option>
                ))}
              </select>
            )}
          />
        </div>
        {!pages.loading && !pages.error && pages.items.length === 0 && <p>No job.</p>}
        {pages.items.length > 0 && (
          <table>
            <caption>{pages.items.length} shown</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Processed</th>
                <th scope="col">Summary</th>
                <th scope="col">Created</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((job) => (
                <tr key={job.id}>
                  <th scope="row">
                    <a href={href.job(job.id)}>
                      <code>{job.id}</code>
                    </a>
                  </th>
                  <td>{words(job.kind)}</td>
                  <td>
                    <Status value={job.state} />
                  </td>
                  <td>
                    {formatNumber(job.progress.processed)}
                    {job.progress.failed > 0 && ` (${formatNumber(job.progress.failed)} failed)`}
                  </td>
                  <td>
                    <JobSummary job={job} />
                  </td>
                  <td>
                    <Time value={job.createdAt} />
                  </td>
                  <td>
                    <ResultLink job={job} named />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore pages={pages} what="jobs" />
      </section>
      <RevokeEverything />
    </Page>
  );
}
