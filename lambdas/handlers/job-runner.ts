import type { JobMessage } from '../domain/job';
import { defaultDeps } from '../usecases/deps';
import { runJob } from '../usecases/jobs/run-job';
import { scheduledJob } from '../usecases/jobs/start-job';
import { JOB_WORKS } from '../usecases/jobs/works';
import { logger } from './logger';
import { countJobRun } from './metrics';
import { sqsBatchHandler } from './sqs-batch';

/** Runs the job a message names: one recorded by the API, or a schedule's run for its time slot (created here). */
async function handle(message: JobMessage): Promise<void> {
  const deps = defaultDeps();
  const job =
    'jobId' in message
      ? await deps.jobs.getJob(message.jobId)
      : await scheduledJob(deps, message.schedule, message.time);
  // A message for a job that does not exist can never succeed: say so and let it go.
  if (!job) return logger.warn('Message for an unknown job', { message });
  countJobRun(await runJob(deps, job, JOB_WORKS));
}

export const handler = sqsBatchHandler(handle);
