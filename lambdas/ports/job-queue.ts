import type { JobKind, JobMessage } from '../domain/job';

/** Hands jobs to the function that runs their kind. */
export interface JobQueue {
  /** Sets the function that runs a job of `kind` going on `message`. */
  send(message: JobMessage, kind: JobKind): Promise<void>;
}
