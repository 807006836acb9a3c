import { queuedJobsHandler } from './queued-jobs';

/** Runs every job but the audit archive: exports, device operations, revocations, audits, the expired cleanup. */
export const handler = queuedJobsHandler('jobs');
