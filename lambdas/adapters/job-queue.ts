import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { config } from '../config';
import type { JobMessage } from '../domain/job';
import { sqs } from './clients';

/** Sets the job runner going on a job. */
export async function sendJobMessage(message: JobMessage): Promise<void> {
  await sqs().send(new SendMessageCommand({ QueueUrl: config.jobQueueUrl(), MessageBody: JSON.stringify(message) }));
}
