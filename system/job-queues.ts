import type { JobKind } from '../lambdas/domain/job';

/** The queues jobs are sent to, each feeding the function that runs its jobs. */
export type JobQueue = 'jobs' | 'archiveJobs';

/**
 * The queue a job of `kind` is sent to, and so the function that runs it: the audit archive to its own, whose
 * function alone may write the audit archive bucket; any other job to the job runner's.
 */
export const jobQueueOf = (kind: JobKind): JobQueue => (kind === 'audit-archive' ? 'archiveJobs' : 'jobs');
