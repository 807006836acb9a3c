import type { JobView } from '../../../../lambdas/contract/views';
import { downloads } from '../../api/registry';
import { formatNumber } from '../../ui/format';

/** A job's figures (its summary), each as `name: value`, by name: summaries keep no order. */
export function JobSummary({ job }: { job: JobView }) {
  const entries = Object.entries(job.summary ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <>—</>;
  return (
    <ul class="summary">
      {entries.map(([name, value]) => (
        <li key={name}>
          {name}: {typeof value === 'number' ? formatNumber(value) : value}
        </li>
      ))}
    </ul>
  );
}

/** The link to a completed job's result file; on a list, `named` gives each link the job's id in its name. */
export function ResultLink({ job, named }: { job: JobView; named?: boolean }) {
  if (!job.resultReady) return null;
  return (
    <a href={downloads.jobResult(job.id)} download>
      Download result{named && <span class="visually-hidden"> of job {job.id}</span>}
    </a>
  );
}
