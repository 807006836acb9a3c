import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FUNCTIONS, queueVisibilityTimeoutSeconds, type TriggerQueue } from '../../../../system/functions';
import {
  DEAD_LETTER_RETENTION_DAYS,
  JOB_QUEUE,
  LOCAL_NAMES,
  mailQueueSettings,
  ROW_QUEUE,
  VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT,
  webhookQueueSettings,
} from '../../../../system/resources';
import type { Fauxqs } from '../../../../local/emulators/fauxqs';
import { bootstrapQueues, type LocalQueues } from '../../../../local/emulators/queue-resources';
import { startQueueEmulator } from '../../../support/queue-emulator';

const DAY_SECONDS = 24 * 60 * 60;
let fauxqs: Fauxqs;
let queues: LocalQueues;
let sqs: SQSClient;

beforeAll(async () => {
  ({ fauxqs, queues, sqs } = await startQueueEmulator());
});

afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

const attributesOf = async (url: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};

interface Redriven {
  queue: TriggerQueue;
  deadLetters: keyof LocalQueues;
  name: string;
  deadLetterName: string;
  settings: { retentionDays: number; maxReceiveCount: number };
  deadLetterConsumerTimeout: number;
}

describe.each<[string, Redriven]>([
  [
    'the row queue (ROW_QUEUE)',
    {
      queue: 'rows',
      deadLetters: 'rowDeadLetters',
      name: LOCAL_NAMES.rowQueue,
      deadLetterName: LOCAL_NAMES.rowDeadLetterQueue,
      settings: ROW_QUEUE,
      deadLetterConsumerTimeout: FUNCTIONS.batchDeadLetters.timeoutSeconds,
    },
  ],
  [
    'the job queue (JOB_QUEUE)',
    {
      queue: 'jobs',
      deadLetters: 'jobDeadLetters',
      name: LOCAL_NAMES.jobQueue,
      deadLetterName: LOCAL_NAMES.jobDeadLetterQueue,
      settings: JOB_QUEUE,
      deadLetterConsumerTimeout: FUNCTIONS.jobDeadLetters.timeoutSeconds,
    },
  ],
  [
    'the webhook delivery queue (WEBHOOK_QUEUE, one receive per attempt of the retry schedule)',
    {
      queue: 'webhookDeliveries',
      deadLetters: 'webhookDeadLetters',
      name: LOCAL_NAMES.webhookQueue,
      deadLetterName: LOCAL_NAMES.webhookDeadLetterQueue,
      settings: webhookQueueSettings(),
      // No function consumes it: it keeps its queue's visibility timeout.
      deadLetterConsumerTimeout: FUNCTIONS.webhookSender.timeoutSeconds,
    },
  ],
  [
    'the mail queue (MAIL_QUEUE, one receive per attempt of the mail retry schedule)',
    {
      queue: 'mailDeliveries',
      deadLetters: 'mailDeadLetters',
      name: LOCAL_NAMES.mailQueue,
      deadLetterName: LOCAL_NAMES.mailDeadLetterQueue,
      settings: mailQueueSettings(),
      // No function consumes it: it keeps its queue's visibility timeout.
      deadLetterConsumerTimeout: FUNCTIONS.mailer.timeoutSeconds,
    },
  ],
])('bootstrapQueues creates %s', (_name, expected) => {
  it('with its retention and visibility timeout, redriving to its dead-letter queue after maxReceiveCount', async () => {
    const queue = queues[expected.queue];
    const deadLetters = queues[expected.deadLetters];
    expect(queue.url).toMatch(new RegExp(`/000000000000/${expected.name}$`));
    expect(deadLetters.arn).toBe(`arn:aws:sqs:us-east-1:000000000000:${expected.deadLetterName}`);
    const attributes = await attributesOf(queue.url);
    expect(attributes).toMatchObject({
      QueueArn: queue.arn,
      VisibilityTimeout: String(queueVisibilityTimeoutSeconds(expected.queue)),
      MessageRetentionPeriod: String(expected.settings.retentionDays * DAY_SECONDS),
    });
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: deadLetters.arn,
      maxReceiveCount: expected.settings.maxReceiveCount,
    });
  });

  it('and a dead-letter queue with a longer retention and a visibility timeout in the same proportion to its consumer', async () => {
    expect(await attributesOf(queues[expected.deadLetters].url)).toMatchObject({
      VisibilityTimeout: String(VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * expected.deadLetterConsumerTimeout),
      MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS),
    });
    expect(DEAD_LETTER_RETENTION_DAYS).toBeGreaterThan(expected.settings.retentionDays);
  });
});

describe('bootstrapQueues', () => {
  it('gives every trigger queue its own queue', () => {
    const names = Object.values(queues).map((queue) => queue.arn.split(':').pop());
    expect(Object.keys(queues).sort()).toEqual([
      'archiveJobs',
      'jobDeadLetters',
      'jobs',
      'mailDeadLetters',
      'mailDeliveries',
      'rowDeadLetters',
      'rows',
      'webhookDeadLetters',
      'webhookDeliveries',
    ]);
    expect(new Set(names).size).toBe(9);
  });

  it('creates the archive job queue with JOB_QUEUE settings, redriving to the job dead-letter queue', async () => {
    const { archiveJobs, jobDeadLetters } = queues;
    expect(archiveJobs.url).toMatch(new RegExp(`/000000000000/${LOCAL_NAMES.archiveJobQueue}$`));
    const attributes = await attributesOf(archiveJobs.url);
    expect(attributes).toMatchObject({
      VisibilityTimeout: String(VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * FUNCTIONS.auditArchiver.timeoutSeconds),
      MessageRetentionPeriod: String(JOB_QUEUE.retentionDays * DAY_SECONDS),
    });
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: jobDeadLetters.arn,
      maxReceiveCount: JOB_QUEUE.maxReceiveCount,
    });
  });

  it('keeps the queues and their messages when run again, restoring changed settings', async () => {
    const { jobs } = queues;
    await sqs.send(new SendMessageCommand({ QueueUrl: jobs.url, MessageBody: 'kept' }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: jobs.url, Attributes: { VisibilityTimeout: '5' } }));

    expect(await bootstrapQueues(fauxqs.endpoint)).toEqual(queues);
    expect((await attributesOf(jobs.url)).VisibilityTimeout).toBe(String(queueVisibilityTimeoutSeconds('jobs')));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: jobs.url }));
    expect(Messages?.map((message) => message.Body)).toEqual(['kept']);
  });
});
