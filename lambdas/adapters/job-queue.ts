import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { config } from '../config';
import type { JobMessage } from '../domain/job';
import type { JobQueue } from '../../system/functions';
import { sqs } from './clients';

const QUEUE_URLS: Record<JobQueue, () => string> = {
  jobs: config.jobQueueUrl,
  archiveJobs: config.archiveJobQueueUrl,
};

/** Sets the function that runs a job going on it, through its queue (`jobQueueOf` the job's kind). */
export async function sendJobMessage(message: JobMessage, queue: JobQueue): Promise<void> {
  await sqs().send(new SendMessageCommand({ QueueUrl: QUEUE_URLS[queue](), MessageBody: JSON.stringify(message) }));
}
