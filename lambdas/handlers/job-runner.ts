import type { Context, SQSRecord } from 'aws-lambda';
import type { JobMessage } from '../domain/job';
import { defaultDeps } from '../usecases/deps';
import { runJob } from '../usecases/jobs/run-job';
import { scheduledJob } from '../usecases/jobs/start-job';
import { JOB_WORKS } from '../usecases/jobs/works';
import { logger } from './logger';
import { countJobRun } from './metrics';
import { sqsBatchHandler } from './sqs-batch';

/**
 * The time a job keeps back to save where it stands and send itself on to the next invocation, when it can
 * (`runJob`): every step of a resumable job takes far less.
 */
const HAND_OVER_MS = 60_000;

/** Runs the job a message names: one recorded by the API, or a schedule's run for its time slot (created here). */
async function handle(message: JobMessage, _record: SQSRecord, context: Context): Promise<void> {
  const deps = defaultDeps();
  const job =
    'jobId' in message
      ? await deps.jobs.getJob(message.jobId)
      : await scheduledJob(deps, message.schedule, message.time);
  // A message for a job that does not exist can never succeed: say so and let it go.
  if (!job) return logger.warn('Message for an unknown job', { message });
  const timeIsShort = () => context.getRemainingTimeInMillis() < HAND_OVER_MS;
  countJobRun(await runJob(deps, job, JOB_WORKS, timeIsShort));
}

export const handler = sqsBatchHandler(handle);
