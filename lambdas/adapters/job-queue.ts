import type { JobKind, JobMessage } from '../domain/job';
import type { JobQueue } from '../ports/job-queue';
import { type JobQueue as QueueName, jobQueueOf } from '../config';
import { sqs } from './clients';

/** The SQS adapter: each job goes on the queue of the function that runs its kind (`jobQueueOf`). */
export class SqsJobQueue implements JobQueue {
  constructor(private readonly queueUrls: Readonly<Record<QueueName, () => string>>) {}

  async send(message: JobMessage, kind: JobKind): Promise<void> {
    await sqs().call('SendMessage', {
      QueueUrl: this.queueUrls[jobQueueOf(kind)](),
      MessageBody: JSON.stringify(message),
    });
  }
}
