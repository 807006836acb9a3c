import { isFinished } from '../lambdas/domain/job';
import type { JobAnswer, JobView } from '../lambdas/contract/views';
import { CliError } from './errors';
import type { RegistryClient } from './http';
import { type WaitOptions, pollUntil } from './poll';
import { download } from './presigned';
import { type Destination, save } from './save';

/**
 * Job work shared by the exports, the bulk device commands and `jobs …` (docs/SPEC.md §4.2, §4.4): every one of
 * them is started by a POST answering 202 `{job}` and followed through `GET /jobs/{id}`.
 */

export const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;

export const getJob = (client: RegistryClient, id: string) =>
  client.admin<JobAnswer>({ method: 'GET', path: jobPath(id) });

/** `invitation-export` → `invitation export`. */
export const jobName = (job: Pick<JobView, 'kind'>) => job.kind.replace(/-/g, ' ');

/** Polls `GET /jobs/{id}` until the job completed or failed, or gives up after `timeoutMs`. */
export const waitForJob = (client: RegistryClient, id: string, options: WaitOptions<JobAnswer>): Promise<JobAnswer> =>
  pollUntil(() => getJob(client, id), {
    ...options,
    isDone: ({ job }) => isFinished(job),
    onTimeout: (last) => {
      const where = last ? ` still ${last.job.state} (${last.job.progress.processed} processed)` : '';
      return new CliError(
        `gave up waiting for job ${id} after ${Math.round(options.timeoutMs / 1000)} s; it is${where} and goes on ` +
          `without the CLI: follow it with \`prism-registry jobs status ${id}\``,
        'wait_timeout',
      );
    },
  });

/** Writes the result file of a completed job byte for byte, from the short-lived link its answer carries. */
export async function saveJobResult({ job, download: link }: JobAnswer, destination: Destination): Promise<number> {
  const what = `the result file of job ${job.id}`;
  if (!link) {
    const why = job.state === 'completed' ? 'has no result file' : `is ${job.state}, not completed`;
    throw new CliError(`job ${job.id} (${jobName(job)}) ${why}`, 'no_result_file');
  }
  return save(await download(new URL(link.url), what), destination, what);
}
