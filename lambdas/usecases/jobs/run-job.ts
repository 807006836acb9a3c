import type { Origin } from '../../domain/audit';
import { FileRejection } from '../../domain/csv-reader';
import { RegistryError } from '../../domain/errors';
import { type Job, type JobKind, type JobProgress, isFinished } from '../../domain/job';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import type { JobOutcome, JobWork } from './job-run';

/** How often a running job's progress is written to its record. */
const PROGRESS_INTERVAL_MS = 2_000;

/** Who the audit log names when the runner gives up on a job by itself. */
const RUNNER: Origin = { actor: 'system:job-runner' };

/** How a job ended, told by the call that ended it. */
export interface JobEnd {
  kind: JobKind;
  state: 'completed' | 'failed';
}

/**
 * Runs a recorded job to its end: marks it running, does its kind's work (reporting progress as it goes),
 * then records it completed with its summary, or failed when its input was refused. Any other error is
 * left to the queue to retry (every job is safe to run again); a job that keeps failing ends in the
 * dead-letter queue, whose handler fails it (`failJob`). Returns how the job ended, unless it had ended
 * (or was run by someone else) already.
 */
export async function runJob(deps: Deps, job: Job, works: Record<JobKind, JobWork>): Promise<JobEnd | undefined> {
  if (isFinished(job) || !(await deps.jobs.start(job.id, rfc3339(deps.now())))) return undefined;
  const origin: Origin = {
    actor: job.createdBy,
    jobId: job.id,
    ...(job.requestId !== undefined && { requestId: job.requestId }),
    ...(job.sourceIp !== undefined && { sourceIp: job.sourceIp }),
  };
  const reporter = progressReporter(deps, job.id);
  let outcome: JobOutcome;
  try {
    outcome = await works[job.kind](deps, { job, origin, progress: reporter.report });
  } catch (error) {
    await reporter.stop();
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return failJob(deps, job.id, refusal.code, refusal.message, origin);
  }
  await reporter.stop();
  const { progress, summary, resultKey } = outcome;
  const at = rfc3339(deps.now());
  const ended = await deps.jobs.finish(
    job.id,
    'completed',
    { progress, summary, resultKey },
    at,
    audit(deps, origin, 'job.completed', job.id, { kind: job.kind, ...progress, ...summary, resultKey }),
  );
  return ended ? { kind: job.kind, state: 'completed' } : undefined;
}

/** Ends a job as failed, with the reason, unless it has ended already (then returns undefined). */
export async function failJob(
  deps: Deps,
  jobId: string,
  code: string,
  message: string,
  origin: Origin = RUNNER,
): Promise<JobEnd | undefined> {
  const job = await deps.jobs.getJob(jobId);
  if (!job || isFinished(job)) return undefined;
  const event = audit(deps, { ...origin, jobId }, 'job.failed', jobId, { kind: job.kind, code, message });
  const ended = await deps.jobs.finish(
    jobId,
    'failed',
    { progress: job.progress, error: { code, message } },
    rfc3339(deps.now()),
    event,
  );
  return ended ? { kind: job.kind, state: 'failed' } : undefined;
}

/** A refusal of the job's input (a bad CSV, a rule it breaks): the job fails with it rather than being retried. */
function refusalOf(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof RegistryError) return { code: error.code, message: error.message };
  if (error instanceof FileRejection) return { code: error.reason, message: error.message };
  return undefined;
}

/** Keeps the latest progress and writes it to the job record every PROGRESS_INTERVAL_MS while the job runs. */
function progressReporter(deps: Deps, jobId: string) {
  let latest: JobProgress | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (!latest) return;
    const progress = latest;
    latest = undefined;
    // Progress is advisory: a write that fails is made good by the next one, or by the job's end.
    writing = writing.then(() => deps.jobs.reportProgress(jobId, progress, rfc3339(deps.now())).catch(() => undefined));
  };
  const timer = setInterval(flush, PROGRESS_INTERVAL_MS);
  return {
    report: (progress: JobProgress) => {
      latest = { ...progress };
    },
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}
