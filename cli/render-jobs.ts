import { type JobPage, type JobView, resultBucketOf } from '../lambdas/contract/views';
import { jobName } from './jobs';
import { fields, paged, table, timestamp, yesNo } from './output';

/** Human output of jobs: exports, bulk device work, emergency revoke-all and the scheduled jobs. */

/** `invitationsSuspended` → `Invitations suspended`, `expiringWithin7Days` → `Expiring within 7 days`. */
const label = (key: string) => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([a-z])([0-9])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const counts = ({ progress }: JobView) =>
  `${progress.processed} processed, ${progress.succeeded} succeeded, ${progress.failed} failed`;

const optionsOf = ({ options }: JobView) =>
  Object.entries(options)
    .map(([key, value]) => `${label(key).toLowerCase()} ${typeof value === 'boolean' ? yesNo(value) : value}`)
    .join('; ');

/**
 * One row a figure; figures of one group (`status.active`, `status.revoked`, …) share a row, e.g.
 * `By status:  5 active, 2 revoked`.
 */
const summaryRows = ({ summary = {} }: JobView): [string, string | number][] => {
  const rows = new Map<string, string | number>();
  for (const [key, value] of Object.entries(summary)) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      rows.set(label(key), value);
      continue;
    }
    const row = `By ${label(key.slice(0, dot)).toLowerCase()}`;
    const before = rows.get(row);
    rows.set(row, `${before === undefined ? '' : `${before}, `}${value} ${key.slice(dot + 1)}`);
  }
  return [...rows];
};

const BUCKETS = { registry: 'the registry bucket', auditArchive: 'the audit archive bucket' } as const;

const resultFile = (job: JobView) =>
  job.resultReady
    ? `${job.resultKey} in ${BUCKETS[resultBucketOf(job.kind)]} (download: prism-registry jobs results ${job.id} --output-file FILE)`
    : undefined;

/** The line a terminal shows while a job runs: `device operations running: 1234 processed, 12 failed`. */
export const renderJobProgress = (job: JobView) =>
  job.state === 'queued'
    ? `${jobName(job)} queued`
    : `${jobName(job)} ${job.state}: ${job.progress.processed} processed, ${job.progress.failed} failed`;

export const renderJobStarted = (job: JobView) =>
  `Started job ${job.id} (${jobName(job)}); follow it with: prism-registry jobs status ${job.id}`;

export function renderJob(job: JobView): string {
  return [
    `Job ${job.id}`,
    fields([
      ['Kind', jobName(job)],
      ['State', job.state],
      ['Progress', counts(job)],
      ['Created', `${timestamp(job.createdAt)} by ${job.createdBy}`],
      ['Started', timestamp(job.startedAt)],
      ['Completed', timestamp(job.completedAt)],
      ['Options', optionsOf(job)],
      ...summaryRows(job),
      ['Error', job.error && `${job.error.message} (${job.error.code})`],
      ['Result file', resultFile(job)],
    ]),
  ].join('\n');
}

/**
 * After a job the CLI waited for: its counts and figures, and where its result file went (`destination`) or
 * lies in the bucket.
 */
export function renderJobOutcome(job: JobView, destination?: string): string {
  const failures = job.progress.failed ? '; the Status and Error columns say which rows failed and why' : '';
  return [
    `Job ${job.id} (${jobName(job)}) completed: ${counts(job)}.`,
    fields([...summaryRows(job), ['Result file', destination ? undefined : resultFile(job)]]),
    ...(destination ? [`Results written to ${destination}${failures}.`] : []),
  ]
    .filter(Boolean)
    .join('\n');
}

export function renderJobPage(page: JobPage): string {
  if (page.jobs.length === 0) return 'No jobs.';
  const rows = page.jobs.map((job) => [
    job.id,
    job.kind,
    job.state,
    String(job.progress.processed),
    String(job.progress.failed),
    timestamp(job.createdAt),
    job.createdBy,
  ]);
  return paged(table(['ID', 'KIND', 'STATE', 'PROCESSED', 'FAILED', 'CREATED', 'BY'], rows), 'jobs', page.cursor);
}
