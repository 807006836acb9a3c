import type { Origin } from '../../domain/audit';
import { FileRejection } from '../../domain/csv/reader';
import { RegistryError } from '../../domain/errors';
import { type Job, type JobCheckpoint, type JobKind, type JobProgress, isFinished } from '../../domain/job';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import type { JobHandOver, JobOutcome, JobWork, ResumableJobWork } from './job-run';

/** How often a running job's progress is written to its record. */
const PROGRESS_INTERVAL_MS = 2_000;

/** Who the audit log names when the runner gives up on a job by itself. */
const RUNNER: Origin = { actor: 'system:job-runner' };

/** How a job ended, told by the call that ended it. */
export interface JobEnd {
  kind: JobKind;
  state: 'completed' | 'failed';
}

/** A run with all the time it needs: tests, and callers that are no Lambda invocation. */
const UNHURRIED = () => false;

/**
 * Runs a recorded job to its end: marks it running, does its kind's work (reporting progress as it goes),
 * then records it completed with its summary, or failed when its input was refused. Any other error is
 * left to the queue to retry (every job is safe to run again); a job that keeps failing ends in the
 * dead-letter queue, whose handler fails it (`failJob`). A resumable job whose time runs short
 * (`timeIsShort`) hands over instead: its checkpoint is saved and its message sent again, so the next
 * invocation goes on from there. Returns how the job ended, unless it had ended (or was run by someone
 * else) already, or goes on in another invocation. `works` are the kinds the calling function runs: a job of
 * another kind (its message sent to this function's queue before that kind had a function of its own) fails at
 * once, as no retry here can run it.
 */
export async function runJob(
  deps: Deps,
  job: Job,
  works: Partial<Record<JobKind, JobWork | ResumableJobWork>>,
  timeIsShort: () => boolean = UNHURRIED,
): Promise<JobEnd | undefined> {
  const work = works[job.kind];
  if (!work) return failJob(deps, job.id, 'wrong_runner', `${job.kind} jobs are run by another function: run it again`);
  if (isFinished(job) || !(await deps.jobs.start(job.id, rfc3339(deps.now())))) return undefined;
  const origin: Origin = {
    actor: job.createdBy,
    jobId: job.id,
    ...(job.requestId !== undefined && { requestId: job.requestId }),
    ...(job.sourceIp !== undefined && { sourceIp: job.sourceIp }),
  };
  const reporter = progressReporter(deps, job.id);
  let outcome: JobOutcome | JobHandOver;
  try {
    outcome = await work(deps, { job, origin, progress: reporter.report, timeIsShort });
  } catch (error) {
    // What the work reported last is all done: a retry goes on from there.
    reporter.flush();
    await reporter.stop();
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return failJob(deps, job.id, refusal.code, refusal.message, origin);
  }
  await reporter.stop();
  if ('checkpoint' in outcome) return handOver(deps, job, outcome);
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

/**
 * Saves a stopped job's checkpoint, then sends its message again for the next invocation. Should the send
 * fail, the message in hand is retried and resumes from the same checkpoint. Nothing is sent for a job that
 * stopped running meanwhile.
 */
async function handOver(deps: Deps, job: Job, { progress, checkpoint }: JobHandOver): Promise<undefined> {
  if (await deps.jobs.reportProgress(job.id, progress, rfc3339(deps.now()), checkpoint)) {
    await deps.jobQueue.send({ jobId: job.id }, job.kind);
  }
  return undefined;
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

/**
 * Keeps the latest progress (and checkpoint) and writes it to the job record every PROGRESS_INTERVAL_MS while
 * the job runs.
 */
function progressReporter(deps: Deps, jobId: string) {
  let latest: { progress: JobProgress; checkpoint?: JobCheckpoint } | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!latest) return;
    const { progress, checkpoint } = latest;
    latest = undefined;
    // Progress is advisory: a write that fails is made good by the next one, or by the job's end. A checkpoint
    // written late only means a retry after a crash redoes a little more, which every step allows.
    writing = writing.then(() =>
      deps.jobs.reportProgress(jobId, progress, rfc3339(deps.now()), checkpoint).catch(() => undefined),
    );
  };
  const timer = setInterval(flush, PROGRESS_INTERVAL_MS);
  return {
    report: (progress: JobProgress, checkpoint?: JobCheckpoint) => {
      latest = { progress: { ...progress }, ...(checkpoint && { checkpoint: structuredClone(checkpoint) }) };
    },
    flush,
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}
