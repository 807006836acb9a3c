import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { config } from '../../lambdas/config';
import type { RowQueueMessage } from '../../lambdas/domain/batch';
import { handler as deadLetters } from '../../lambdas/handlers/batch-dead-letters';
import { handler as worker } from '../../lambdas/handlers/batch-worker';

const queue = new SQSClient({ useQueueUrlAsEndpoint: false });
const context = {
  awsRequestId: 'test',
  functionName: 'batchWorker',
  getRemainingTimeInMillis: () => 300_000,
} as Context;

export interface DriveOptions {
  /** Hand every message to the worker twice, as SQS's at-least-once delivery may. */
  deliverTwice?: boolean;
  /** Messages of these chunks go straight to the dead-letter handler, as if they kept failing. */
  poisonChunks?: number[];
}

/**
 * Plays Lambda's SQS event source for one batch: receives the row queue's messages of `batchId`, runs the
 * real worker handler on them and deletes what it did not report as failed, until the batch is finished.
 * Messages of other batches are put back at once.
 */
export async function drive(
  batchId: string,
  isDone: () => Promise<boolean>,
  options: DriveOptions = {},
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error(`Batch ${batchId} did not finish within 60 s`);
    const { Messages = [] } = await queue.send(
      new ReceiveMessageCommand({
        QueueUrl: config.rowQueueUrl(),
        MaxNumberOfMessages: 5,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const records = Messages.map(toRecord);
    const ours = records.filter((record) => (JSON.parse(record.body) as RowQueueMessage).batchId === batchId);
    for (const record of records.filter((record) => !ours.includes(record))) await putBack(record);
    const poisoned = ours.filter((record) => isPoisoned(record, options.poisonChunks));
    const healthy = ours.filter((record) => !poisoned.includes(record));
    if (poisoned.length > 0) await deadLetters(event(poisoned), context);
    const { batchItemFailures } = await worker(event(healthy), context);
    if (options.deliverTwice) await worker(event(healthy), context);
    const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const record of ours.filter((record) => !failed.has(record.messageId))) {
      await queue.send(
        new DeleteMessageCommand({ QueueUrl: config.rowQueueUrl(), ReceiptHandle: record.receiptHandle }),
      );
    }
  }
}

function isPoisoned(record: SQSRecord, chunks: number[] = []): boolean {
  const message = JSON.parse(record.body) as RowQueueMessage;
  return message.kind === 'rows' && chunks.includes(message.chunk);
}

const putBack = (record: SQSRecord) =>
  queue.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: config.rowQueueUrl(),
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: 0,
    }),
  );

const event = (records: SQSRecord[]): SQSEvent => ({ Records: records });

function toRecord(message: {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  Attributes?: Record<string, string>;
}): SQSRecord {
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body!,
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(message.Attributes?.MessageGroupId && { MessageGroupId: message.Attributes.MessageGroupId }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:rows',
    awsRegion: 'us-east-1',
  };
}
