import { RegistryError, invalid, notFound } from '../domain/errors';
import { EXPORT_KINDS, type Job, type JobKind, resultBucketOf } from '../domain/job';
import { rfc3339 } from '../domain/time';
import * as z from '../domain/zod';
import { scheduledJobName } from '../contract/schemas';
import type { Deps } from '../usecases/deps';
import { startJob } from '../usecases/jobs/start-job';
import { type JobAnswer, jobView } from '../contract/views';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;
/** How long a result file's download URL stays valid. */
const DOWNLOAD_URL_SECONDS = 5 * 60;

async function jobAnswer(deps: Deps, job: Job): Promise<JobAnswer> {
  if (job.state !== 'completed' || job.resultKey === undefined) return { job: jobView(job) };
  const url = await deps.objects.presignDownload(job.resultKey, DOWNLOAD_URL_SECONDS, resultBucketOf(job.kind));
  const expiresAt = rfc3339(new Date(deps.now().getTime() + DOWNLOAD_URL_SECONDS * 1000));
  return { job: jobView(job), download: { url, expiresAt } };
}

async function requireJob(deps: Deps, id: string, kinds?: readonly JobKind[]): Promise<Job> {
  const job = await deps.jobs.getJob(id);
  if (!job || (kinds && !kinds.includes(job.kind))) throw notFound(kinds ? 'Export' : 'Job', { id });
  return job;
}

export const handler = httpFunction('jobs', {
  'POST /exports/invitations': async ({ body, origin, deps }) => {
    const options = { includeEncoded: body.includeEncoded ?? false, ...(body.status && { status: body.status }) };
    return { body: await jobAnswer(deps, await startJob(deps, 'invitation-export', options, origin)) };
  },
  'POST /exports/devices': async ({ origin, deps }) => ({
    body: await jobAnswer(deps, await startJob(deps, 'device-export', {}, origin)),
  }),
  'GET /exports/{id}': async ({ params, deps }) => ({
    body: await jobAnswer(deps, await requireJob(deps, params.id!, EXPORT_KINDS)),
  }),
  'POST /devices/operations': async ({ csv, query, origin, deps }) => {
    if (csv === undefined) {
      throw new RegistryError(415, 'unsupported_media_type', 'Send the device operations CSV as a text/csv body');
    }
    const options = {
      hasHeader: query.hasHeader ?? true,
      ...(query.operation && { operation: query.operation }),
      ...(query.concurrency !== undefined && { concurrency: query.concurrency }),
    };
    return { body: await jobAnswer(deps, await startJob(deps, 'device-operations', options, origin, csv)) };
  },
  'POST /devices/revoke-all': async ({ body, origin, deps }) => {
    const options = {
      ...(body.reason !== undefined && { reason: body.reason }),
      ...(body.concurrency !== undefined && { concurrency: body.concurrency }),
    };
    return { body: await jobAnswer(deps, await startJob(deps, 'revoke-all', options, origin)) };
  },
  'GET /jobs': async ({ query, deps }) => {
    const { jobs, cursor } = await deps.jobs.listJobs({ ...query, limit: query.limit ?? DEFAULT_PAGE });
    return { body: { jobs: jobs.map(jobView), ...(cursor && { cursor }) } };
  },
  'GET /jobs/{id}': async ({ params, deps }) => ({ body: await jobAnswer(deps, await requireJob(deps, params.id!)) }),
  'POST /schedules/{job}/runs': async ({ params, origin, deps }) => {
    const name = z.safeParse(scheduledJobName, params.job);
    if (!name.success) throw invalid('job', name.error.issues[0]!.message);
    return { body: await jobAnswer(deps, await startJob(deps, name.data, {}, origin)) };
  },
});
