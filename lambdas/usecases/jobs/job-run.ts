import type { Origin } from '../../domain/audit';
import type { Job, JobCheckpoint, JobProgress } from '../../domain/job';
import { BUCKET_PREFIXES } from '../../config';
import type { Deps } from '../deps';

/**
 * What a job's work is handed: the job (with the checkpoint it resumes from, if any), the origin its changes are
 * audited under, a progress reporter, and whether the invocation's time runs short.
 */
export interface JobRun {
  job: Job;
  /** The job's creator, the request that started it and the job's id: every change the job makes is audited so. */
  origin: Origin;
  /**
   * Reports the progress so far, and where a resumable job stands; the runner writes both to the job record now
   * and then, so a retry after a crash goes on from the last one written.
   */
  progress(progress: JobProgress, checkpoint?: JobCheckpoint): void;
  /**
   * True once the invocation has too little time left to go on: a resumable job then stops between two steps
   * and hands over (`JobHandOver`). A job that cannot resume never asks.
   */
  timeIsShort(): boolean;
}

export interface JobOutcome {
  progress: JobProgress;
  /** Figures worth reporting, e.g. `{ invitationsSuspended: 12, devicesRevoked: 30 }`. */
  summary?: Record<string, number | string>;
  /** The result file the job wrote, if any. */
  resultKey?: string;
}

/** A resumable job that stopped because its time ran short: the next invocation goes on from `checkpoint`. */
export interface JobHandOver {
  progress: JobProgress;
  checkpoint: JobCheckpoint;
}

/** One kind of job's work, done in one go. Safe to run twice: a second run gives the same outcome. */
export type JobWork = (deps: Deps, run: JobRun) => Promise<JobOutcome>;

/** The work of a job that can stop when its time runs short and go on in the next invocation. */
export type ResumableJobWork = (deps: Deps, run: JobRun) => Promise<JobOutcome | JobHandOver>;

/** The UTC day a job is for: its schedule's time slot, else when it was created. */
export const jobDay = (job: Job): string => (job.schedule?.time ?? job.createdAt).slice(0, 10);

/** Where a job writes its result file: on-demand jobs under `jobs/`, scheduled audits under `audits/<day>/`. */
export function resultKeyOf(job: Job, auditFile: 'invitations.csv' | 'devices.csv'): string {
  return job.schedule ? `${BUCKET_PREFIXES.audits}${jobDay(job)}/${auditFile}` : `${BUCKET_PREFIXES.jobs}${job.id}.csv`;
}

/** Where a device-operations job keeps the CSV it was given. */
export const inputKeyOf = (jobId: string): string => `${BUCKET_PREFIXES.jobs}${jobId}-input.csv`;

export const emptyProgress = (): JobProgress => ({ processed: 0, succeeded: 0, failed: 0 });
