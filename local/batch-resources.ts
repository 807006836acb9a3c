import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type TriggerQueue, queueVisibilityTimeoutSeconds } from '../lambdas/functions';
import { DEAD_LETTER_RETENTION_DAYS, LOCAL_NAMES, ROW_QUEUE } from '../lambdas/resources';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from './local-aws';

export interface LocalQueue {
  /** As fauxqs gives it (its host does not resolve: clients send to the endpoint, not to this URL). */
  url: string;
  arn: string;
}

export interface BatchResources {
  bucket: string;
  queues: Record<TriggerQueue, LocalQueue>;
}

const DAY_SECONDS = 24 * 60 * 60;

/** Creates the queue unless it exists, then gives it `attributes` (so a restart applies changed settings). */
async function ensureQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<LocalQueue> {
  const { QueueUrl: url } = await client.send(new CreateQueueCommand({ QueueName: name }));
  if (!url) throw new Error(`fauxqs gave no URL for queue ${name}`);
  await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`fauxqs gave no ARN for queue ${name}`);
  return { url, arn: Attributes.QueueArn };
}

/**
 * Creates the registry bucket, the row queue and its dead-letter queue in fauxqs with the settings ROW_QUEUE
 * defines, unless they exist; what they hold is kept.
 */
export async function bootstrapBatchResources(endpoint: string): Promise<BatchResources> {
  const settings = { endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS };
  const s3 = new S3Client({ ...settings, forcePathStyle: true });
  const sqs = new SQSClient(settings);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: LOCAL_NAMES.bucket }));
    const rowDeadLetters = await ensureQueue(sqs, LOCAL_NAMES.rowDeadLetterQueue, {
      VisibilityTimeout: String(queueVisibilityTimeoutSeconds('rowDeadLetters')),
      MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS),
    });
    const rows = await ensureQueue(sqs, LOCAL_NAMES.rowQueue, {
      VisibilityTimeout: String(queueVisibilityTimeoutSeconds('rows')),
      MessageRetentionPeriod: String(ROW_QUEUE.retentionDays * DAY_SECONDS),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: rowDeadLetters.arn,
        maxReceiveCount: ROW_QUEUE.maxReceiveCount,
      }),
    });
    return { bucket: LOCAL_NAMES.bucket, queues: { rows, rowDeadLetters } };
  } finally {
    s3.destroy();
    sqs.destroy();
  }
}
