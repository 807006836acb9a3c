import { queuedJobsHandler } from './queued-jobs';

/** Runs the audit archive, the one job that may write the audit archive bucket. */
export const handler = queuedJobsHandler('archiveJobs');
