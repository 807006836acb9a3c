import type { Context, SQSRecord } from 'aws-lambda';
import type { JobMessage } from '../domain/job';
import { type JobQueue } from '../config';
import { runJob } from '../usecases/jobs/run-job';
import { scheduledJob } from '../usecases/jobs/start-job';
import { worksOf } from '../usecases/jobs/works';
import { logger } from './logger';
import { countJobRun } from './metrics';
import { sqsBatchHandler } from './sqs-batch';

/**
 * The time a job keeps back to save where it stands and send itself on to the next invocation, when it can
 * (`runJob`): every step of a resumable job takes far less.
 */
const HAND_OVER_MS = 60_000;

/**
 * The handler of a function fed by a job queue: it runs the job each message names, one recorded by the API or a
 * schedule's run for its time slot (created here), if it is of a kind sent to `queue`.
 */
export function queuedJobsHandler(queue: JobQueue) {
  const works = worksOf(queue);
  return sqsBatchHandler(async (message: JobMessage, _record: SQSRecord, context: Context, deps): Promise<void> => {
    const job =
      'jobId' in message
        ? await deps.jobs.getJob(message.jobId)
        : await scheduledJob(deps, message.schedule, message.time);
    // A message for a job that does not exist can never succeed: say so and let it go.
    if (!job) return logger.warn('Message for an unknown job', { message });
    const timeIsShort = () => context.getRemainingTimeInMillis() < HAND_OVER_MS;
    countJobRun(await runJob(deps, job, works, timeIsShort));
  });
}
