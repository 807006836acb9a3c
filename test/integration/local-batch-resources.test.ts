import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FUNCTIONS, queueVisibilityTimeoutSeconds } from '../../lambdas/functions';
import {
  DEAD_LETTER_RETENTION_DAYS,
  LOCAL_NAMES,
  ROW_QUEUE,
  VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT,
} from '../../lambdas/resources';
import { bootstrapBatchResources, type BatchResources } from '../../local/batch-resources';
import { startFauxqsEmulator, type Fauxqs } from '../../local/fauxqs';

const DAY_SECONDS = 24 * 60 * 60;
let fauxqs: Fauxqs;
let resources: BatchResources;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqsEmulator({ port: 0 });
  resources = await bootstrapBatchResources(fauxqs.endpoint);
  sqs = new SQSClient({
    endpoint: fauxqs.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

const attributesOf = async (url: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};

describe('bootstrapBatchResources', () => {
  it('creates the registry bucket', async () => {
    const s3 = new S3Client({
      endpoint: fauxqs.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const head = await s3.send(new HeadBucketCommand({ Bucket: LOCAL_NAMES.bucket }));
    s3.destroy();
    expect([resources.bucket, head.$metadata.httpStatusCode]).toEqual([LOCAL_NAMES.bucket, 200]);
  });

  it('creates the row queue as ROW_QUEUE defines it, redriving to its dead-letter queue', async () => {
    const { rows, rowDeadLetters } = resources.queues;
    expect(rows.url).toMatch(new RegExp(`/000000000000/${LOCAL_NAMES.rowQueue}$`));
    expect(rowDeadLetters.arn).toBe(`arn:aws:sqs:us-east-1:000000000000:${LOCAL_NAMES.rowDeadLetterQueue}`);
    const attributes = await attributesOf(rows.url);
    expect(attributes).toMatchObject({
      QueueArn: rows.arn,
      VisibilityTimeout: String(queueVisibilityTimeoutSeconds('rows')),
      MessageRetentionPeriod: String(ROW_QUEUE.retentionDays * DAY_SECONDS),
    });
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: rowDeadLetters.arn,
      maxReceiveCount: ROW_QUEUE.maxReceiveCount,
    });
  });

  it('gives the dead-letter queue a longer retention and a visibility timeout in the same proportion to its consumer', async () => {
    expect(await attributesOf(resources.queues.rowDeadLetters.url)).toMatchObject({
      VisibilityTimeout: String(VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * FUNCTIONS.batchDeadLetters.timeoutSeconds),
      MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS),
    });
    expect(DEAD_LETTER_RETENTION_DAYS).toBeGreaterThan(ROW_QUEUE.retentionDays);
  });

  it('keeps the queues and their messages when run again, restoring changed settings', async () => {
    const { rows } = resources.queues;
    await sqs.send(new SendMessageCommand({ QueueUrl: rows.url, MessageBody: 'kept' }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: rows.url, Attributes: { VisibilityTimeout: '5' } }));

    expect(await bootstrapBatchResources(fauxqs.endpoint)).toEqual(resources);
    expect((await attributesOf(rows.url)).VisibilityTimeout).toBe(String(queueVisibilityTimeoutSeconds('rows')));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: rows.url }));
    expect(Messages?.map((message) => message.Body)).toEqual(['kept']);
  });
});
