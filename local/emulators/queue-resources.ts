import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type TriggerQueue, queueVisibilityTimeoutSeconds } from '../../system/functions';
import {
  DEAD_LETTER_RETENTION_DAYS,
  JOB_QUEUE,
  LOCAL_NAMES,
  mailQueueSettings,
  ROW_QUEUE,
  webhookQueueSettings,
} from '../../system/resources';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from './local-aws';

export interface LocalQueue {
  /** As fauxqs gives it (its host does not resolve: clients send to the endpoint, not to this URL). */
  url: string;
  arn: string;
}

/** Every queue a function is triggered by, as FUNCTIONS' triggers name them, and the webhook and mail dead-letter queues. */
export type LocalQueues = Record<TriggerQueue | 'webhookDeadLetters' | 'mailDeadLetters', LocalQueue>;

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Creates the queue unless it exists (FIFO when its settings say so, which only creation can), then gives it
 * `attributes` (so a restart applies changed settings).
 */
async function ensureQueue(
  client: SQSClient,
  name: string,
  fifo: boolean,
  attributes: Record<string, string>,
): Promise<LocalQueue> {
  const { QueueUrl: url } = await client.send(
    new CreateQueueCommand({ QueueName: name, ...(fifo && { Attributes: { FifoQueue: 'true' } }) }),
  );
  if (!url) throw new Error(`fauxqs gave no URL for queue ${name}`);
  await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`fauxqs gave no ARN for queue ${name}`);
  return { url, arn: Attributes.QueueArn };
}

interface RedrivenQueue {
  /**
   * The queue and its dead-letter queue, as FUNCTIONS' triggers name them: their consumers set their visibility
   * timeouts. A dead-letter queue no function consumes (`undefined`) keeps the queue's own.
   */
  queue: TriggerQueue;
  deadLetters?: TriggerQueue;
  names: { queue: string; deadLetters: string };
  /** ROW_QUEUE or JOB_QUEUE. */
  settings: { fifo: boolean; retentionDays: number; maxReceiveCount: number };
}

/** The attributes of `queue`, whose messages move to `deadLetterQueue` once received `maxReceiveCount` times. */
const redrivenAttributes = (queue: TriggerQueue, settings: RedrivenQueue['settings'], deadLetterQueue: LocalQueue) => ({
  VisibilityTimeout: String(queueVisibilityTimeoutSeconds(queue)),
  MessageRetentionPeriod: String(settings.retentionDays * DAY_SECONDS),
  RedrivePolicy: JSON.stringify({
    deadLetterTargetArn: deadLetterQueue.arn,
    maxReceiveCount: settings.maxReceiveCount,
  }),
});

/** The queue and the dead-letter queue its messages move to once received `maxReceiveCount` times. */
async function ensureRedrivenQueue(
  client: SQSClient,
  { queue, deadLetters, names, settings }: RedrivenQueue,
): Promise<[LocalQueue, LocalQueue]> {
  // A FIFO queue's dead letters go to a FIFO queue.
  const deadLetterQueue = await ensureQueue(client, names.deadLetters, settings.fifo, {
    VisibilityTimeout: String(queueVisibilityTimeoutSeconds(deadLetters ?? queue)),
    MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS),
  });
  const mainQueue = await ensureQueue(
    client,
    names.queue,
    settings.fifo,
    redrivenAttributes(queue, settings, deadLetterQueue),
  );
  return [mainQueue, deadLetterQueue];
}

/**
 * Creates the row, job, webhook delivery and mail queues and their dead-letter queues in fauxqs with the settings
 * ROW_QUEUE, JOB_QUEUE, `webhookQueueSettings` (of the retry schedule `webhookRetrySchedule`) and `mailQueueSettings`
 * define, and the archive job queue, redriven to the job dead-letter queue, unless they exist; what they hold is kept.
 */
export async function bootstrapQueues(
  endpoint: string,
  webhookRetrySchedule?: readonly number[],
): Promise<LocalQueues> {
  const client = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  try {
    const [
      [rows, rowDeadLetters],
      [jobs, jobDeadLetters],
      [webhookDeliveries, webhookDeadLetters],
      [mailDeliveries, mailDeadLetters],
    ] = await Promise.all([
      ensureRedrivenQueue(client, {
        queue: 'rows',
        deadLetters: 'rowDeadLetters',
        names: { queue: LOCAL_NAMES.rowQueue, deadLetters: LOCAL_NAMES.rowDeadLetterQueue },
        settings: ROW_QUEUE,
      }),
      ensureRedrivenQueue(client, {
        queue: 'jobs',
        deadLetters: 'jobDeadLetters',
        names: { queue: LOCAL_NAMES.jobQueue, deadLetters: LOCAL_NAMES.jobDeadLetterQueue },
        settings: JOB_QUEUE,
      }),
      ensureRedrivenQueue(client, {
        queue: 'webhookDeliveries',
        names: { queue: LOCAL_NAMES.webhookQueue, deadLetters: LOCAL_NAMES.webhookDeadLetterQueue },
        settings: webhookQueueSettings(webhookRetrySchedule),
      }),
      ensureRedrivenQueue(client, {
        queue: 'mailDeliveries',
        names: { queue: LOCAL_NAMES.mailQueue, deadLetters: LOCAL_NAMES.mailDeadLetterQueue },
        settings: mailQueueSettings(),
      }),
    ]);
    const archiveJobs = await ensureQueue(
      client,
      LOCAL_NAMES.archiveJobQueue,
      JOB_QUEUE.fifo,
      redrivenAttributes('archiveJobs', JOB_QUEUE, jobDeadLetters),
    );
    return {
      rows,
      rowDeadLetters,
      jobs,
      jobDeadLetters,
      archiveJobs,
      webhookDeliveries,
      webhookDeadLetters,
      mailDeliveries,
      mailDeadLetters,
    };
  } finally {
    client.destroy();
  }
}
