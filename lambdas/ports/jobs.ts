import type { AuditEvent } from '../domain/audit';
import type { Job, JobCheckpoint, JobKind, JobProgress } from '../domain/job';

export type FinishedFields = Pick<Job, 'progress' | 'summary' | 'resultKey' | 'error'>;

/** The job records. Each change of state lands only from the state it expects: false when it did not. */
export interface JobRepository {
  /** Records a new job with its audit event; false when a job with this id exists already (a repeated schedule). */
  createJob(job: Job, audit: AuditEvent): Promise<boolean>;
  getJob(id: string): Promise<Job | undefined>;
  /** One page of jobs, newest first, optionally of one kind. */
  listJobs(options: { limit: number; cursor?: string; kind?: JobKind }): Promise<{ jobs: Job[]; cursor?: string }>;
  /** Moves a queued job (or one whose runner died and is being run again) to running; false once it has finished. */
  start(id: string, at: string): Promise<boolean>;
  /** Progress so far, with a resumable job's checkpoint; false when the job is not running (any more). */
  reportProgress(id: string, progress: JobProgress, at: string, checkpoint?: JobCheckpoint): Promise<boolean>;
  /** Ends an unfinished job as `completed` or `failed`, with its audit event; false when it had ended already. */
  finish(
    id: string,
    state: 'completed' | 'failed',
    fields: FinishedFields,
    at: string,
    audit: AuditEvent,
  ): Promise<boolean>;
}
