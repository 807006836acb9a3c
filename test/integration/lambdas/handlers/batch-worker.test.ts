import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { config } from '../../../../lambdas/config';
import type { RowQueueMessage } from '../../../../lambdas/domain/batch';
import { handler as worker } from '../../../../lambdas/handlers/batch-worker';
import { splitArrivedObject } from '../../../../lambdas/usecases/batch/split';
import { startBatch } from '../../../../lambdas/usecases/batch/start';
import { sqsEvent } from '../../../../local/events/sqs-event';
import { PARTITIONS } from '../../../../system/resources';
import { classTemplate } from '../../../support/class-template';
import { AS_ADMIN, integrationDeps } from '../../../support/deps';
import { type TableRequest, recordTableCalls, requestsOf } from '../../../support/table-calls';

/**
 * One chunk's trip through the worker, as the requests it sends DynamoDB show it on the wire: the batch is read
 * once, and the chunk's whole outcome (its record, the rows' invitations and events, the batch's counts) is
 * written in one transaction, which also tells the worker whether it settled the batch's last rows.
 */
jest.setTimeout(60_000);

const deps = integrationDeps();
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const ROW_QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:prism-registry-rows.fifo';
const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

afterAll(() => sqs.destroy());

const bodyOf = (message: Message) => JSON.parse(message.Body!) as RowQueueMessage;

/** Every message of `batchId` the row queue hands out now; other batches' messages go straight back. */
async function receiveAllOf(batchId: string): Promise<Message[]> {
  const ours: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.rowQueueUrl(),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const mine = Messages.filter((message) => bodyOf(message).batchId === batchId);
    for (const other of Messages.filter((message) => !mine.includes(message))) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: config.rowQueueUrl(),
          ReceiptHandle: other.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    if (mine.length === 0) return ours;
    ours.push(...mine);
  }
}

/** The requests the worker sends DynamoDB while it handles `message`, each as its operation and the items it names. */
async function requestsFor(message: Message): Promise<TableRequest[]> {
  const recording = recordTableCalls();
  try {
    const { batchItemFailures } = (await worker(sqsEvent([message], ROW_QUEUE_ARN), context)) as SQSBatchResponse;
    expect(batchItemFailures).toEqual([]);
  } finally {
    recording.stop();
  }
  return requestsOf(recording.calls);
}

const remove = (message: Message) =>
  sqs.send(new DeleteMessageCommand({ QueueUrl: config.rowQueueUrl(), ReceiptHandle: message.ReceiptHandle }));

test('a chunk reads its batch once and writes its whole outcome in one transaction, redelivered or last', async () => {
  const { batch } = await startBatch(deps, {
    request: { concurrency: 3 },
    csv: classTemplate(60),
    source: 'api',
    origin: AS_ADMIN,
  });
  await splitArrivedObject(deps, `uploads/${batch.id}.csv`);
  const chunks = (await receiveAllOf(batch.id)).sort((a, b) => {
    const [first, second] = [bodyOf(a), bodyOf(b)] as { chunk: number }[];
    return first!.chunk - second!.chunk;
  });
  expect(chunks.map((message) => bodyOf(message).kind)).toEqual(['rows', 'rows', 'rows']);

  const batchRead = {
    operation: 'BatchGetItem',
    actions: [`dynamodb:BatchGetItem ${PARTITIONS.batch}`, `dynamodb:BatchGetItem ${PARTITIONS.batch}`],
  };
  const outcome = (rows: number) => ({
    operation: 'TransactWriteItems',
    actions: [
      ...Array.from({ length: rows }, () => 'dynamodb:PutItem AUDIT#'),
      ...Array.from({ length: rows }, () => `dynamodb:PutItem ${PARTITIONS.invitation}`),
      ...Array.from({ length: rows }, () => `dynamodb:PutItem ${PARTITIONS.token}`),
      `dynamodb:PutItem ${PARTITIONS.batch}`,
      `dynamodb:UpdateItem ${PARTITIONS.batch}`,
    ].sort(),
  });
  expect(await requestsFor(chunks[0]!)).toEqual([batchRead, outcome(25)]);
  expect(await requestsFor(chunks[1]!)).toEqual([batchRead, outcome(25)]);
  // Delivered again, the first chunk is told a duplicate by its own transaction's refusal: nothing more is read.
  expect(await requestsFor(chunks[0]!)).toEqual([batchRead, outcome(25)]);
  expect(await deps.batches.getBatch(batch.id)).toMatchObject({ succeeded: 50, failed: 0, state: 'processing' });
  // The last chunk learns it settled the batch without reading it again, and asks for the results.
  expect(await requestsFor(chunks[2]!)).toEqual([batchRead, outcome(10)]);
  for (const message of chunks) await remove(message);

  const [finalise, ...more] = await receiveAllOf(batch.id);
  expect(more).toEqual([]);
  expect(bodyOf(finalise!)).toEqual({ kind: 'finalise', batchId: batch.id });
  await worker(sqsEvent([finalise!], ROW_QUEUE_ARN), context);
  await remove(finalise!);
  expect(await deps.batches.getBatch(batch.id)).toMatchObject({ state: 'completed', succeeded: 60, failed: 0 });
});
