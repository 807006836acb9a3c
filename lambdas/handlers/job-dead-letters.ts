import type { SQSRecord, Context } from 'aws-lambda';
import type { JobMessage } from '../domain/job';
import { JOB_QUEUE } from '../config';
import type { Deps } from '../usecases/deps';
import { failJob } from '../usecases/jobs/run-job';
import { scheduledJob } from '../usecases/jobs/start-job';
import { countJobRun } from './metrics';
import { sqsBatchHandler } from './sqs-batch';

const FAILURE = `The job failed ${JOB_QUEUE.maxReceiveCount} times; see the runner's logs`;

/** Jobs whose messages the runner failed on JOB_QUEUE.maxReceiveCount times end as failed, never left running. */
async function handle(message: JobMessage, _record: SQSRecord, _context: Context, deps: Deps): Promise<void> {
  const jobId = 'jobId' in message ? message.jobId : (await scheduledJob(deps, message.schedule, message.time)).id;
  countJobRun(await failJob(deps, jobId, 'job_failed', FAILURE));
}

export const handler = sqsBatchHandler(handle);
