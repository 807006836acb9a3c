import { ulid } from 'ulid';
import type { Origin } from '../../lambdas/domain/audit';
import type { Job, JobKind, JobOptions, JobProgress } from '../../lambdas/domain/job';
import type { ScheduledJob } from '../../system/resources';
import { type JobRun, emptyProgress } from '../../lambdas/usecases/jobs/job-run';
import { ADMIN } from './origins';

/** A queued job as the job runner would hand it over. */
export function testJob(kind: JobKind, overrides: Partial<Job> = {}): Job {
  const at = new Date().toISOString();
  return {
    id: ulid(),
    kind,
    state: 'running',
    options: {},
    createdBy: ADMIN,
    createdAt: at,
    updatedAt: at,
    progress: emptyProgress(),
    ...overrides,
  };
}

/** A run of `job` by the administrator with all the time it needs, keeping every progress report. */
export function testRun(job: Job): JobRun & { origin: Origin; reports: JobProgress[] } {
  const reports: JobProgress[] = [];
  return {
    job,
    origin: { actor: job.createdBy, requestId: `req-${job.id}`, jobId: job.id },
    progress: (progress) => reports.push(progress),
    timeIsShort: () => false,
    reports,
  };
}

/** A scheduled run of `kind` for the slot at `time`, by the system, as the job runner hands it over. */
export const scheduledRun = (kind: ScheduledJob, time: string, options: JobOptions = {}) =>
  testRun(testJob(kind, { options, createdBy: `system:${kind}`, createdAt: time, schedule: { job: kind, time } }));
