import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config } from '../../../../../lambdas/config';
import type { Batch, RowChunk, RowQueueMessage } from '../../../../../lambdas/domain/batch';
import { DEFAULT_CSV_LIMITS } from '../../../../../lambdas/domain/csv/reader';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { finaliseBatch } from '../../../../../lambdas/usecases/batch/finalise';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import { AFTER_RESTART_LIMITS, STALL_LIMITS, watchBatches } from '../../../../../lambdas/usecases/batch/watch';
import { classTemplate } from '../../../../support/class-template';
import { AS_ADMIN, isolatedDeps } from '../../../../support/deps';
import type { RowQueue } from '../../../../../lambdas/ports/row-queue';

/**
 * The batch watchdog against DynamoDB Local and the emulated S3 and SQS. Its batches live in tables of their
 * own, so it never sees (nor sets going) the batches other test files are driving on the shared row queue;
 * this file plays the worker itself, on those tables.
 */
jest.setTimeout(120_000);

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;
let deps: Deps;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const s3 = new S3Client({ forcePathStyle: true });
const MINUTE = 60_000;

beforeAll(async () => {
  deps = await isolatedDeps();
});

afterAll(() => {
  sqs.destroy();
  s3.destroy();
});

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
const later = (milliseconds: number) => ({ ...deps, now: () => new Date(Date.now() + milliseconds) });

async function queuedBatch(rows: number, request = {}): Promise<string> {
  const { batch } = await startBatch(deps, { request, csv: classTemplate(rows), source: 'api', origin: AS_ADMIN });
  return batch.id;
}

/** Every message of `batchId` the row queue hands out until it has none left; others' go straight back. */
async function takeAll(batchId: string): Promise<{ message: RowQueueMessage; handle: string }[]> {
  const taken: { message: RowQueueMessage; handle: string }[] = [];
  for (let quiet = 0; quiet < 2;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.rowQueueUrl(),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
      }),
    );
    const ours = Messages.filter((message) => parse(message).batchId === batchId);
    for (const other of Messages.filter((message) => !ours.includes(message))) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: config.rowQueueUrl(),
          ReceiptHandle: other.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
    quiet = ours.length === 0 ? quiet + 1 : 0;
    taken.push(...ours.map((message) => ({ message: parse(message), handle: message.ReceiptHandle! })));
    // A lane hands out its next chunk only once the one in flight is gone.
    for (const { ReceiptHandle } of ours) await remove(ReceiptHandle!);
  }
  return taken;
}

const parse = (message: Message) => JSON.parse(message.Body!) as RowQueueMessage;
const remove = (handle: string) =>
  sqs.send(new DeleteMessageCommand({ QueueUrl: config.rowQueueUrl(), ReceiptHandle: handle }));

interface Work {
  /** Messages taken off the queue and lost, as a crash loses them. */
  lose?: (message: RowQueueMessage) => boolean;
  /** False: the worker dies before it asks for the results, having recorded the last chunk. */
  askForResults?: boolean;
}

/** A row queue on which every request for results is lost: the worker died before it sent it. */
const losingRequestsForResults = (): RowQueue => ({
  ...deps.rows,
  send: (envelopes) => deps.rows.send(envelopes.filter(({ message }) => message.kind !== 'finalise')),
});

/** Does what the worker does with each message, on this file's tables, until the queue has none of `batchId`. */
async function work(batchId: string, { lose = () => false, askForResults = true }: Work = {}): Promise<Batch> {
  const worker = askForResults ? deps : { ...deps, rows: losingRequestsForResults() };
  for (let messages = await takeAll(batchId); messages.length > 0; messages = await takeAll(batchId)) {
    for (const { message } of messages.filter(({ message }) => !lose(message))) {
      if (message.kind === 'finalise') await finaliseBatch(worker, message.batchId);
      else await processChunk(worker, message);
    }
  }
  return batchNow(batchId);
}

const chunksOf = (messages: { message: RowQueueMessage }[]) =>
  messages.flatMap(({ message }) => (message.kind === 'rows' ? [(message as RowChunk).chunk] : [])).sort();

describe('the batch watchdog', () => {
  test('a batch whose rows all have an outcome but whose results nobody asked for is found, reported and completed', async () => {
    const batchId = await queuedBatch(60);
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    expect(await work(batchId, { askForResults: false })).toMatchObject({
      state: 'processing',
      succeeded: 60,
      total: 60,
    });

    expect(await watchBatches(deps, STALL_LIMITS, DEFAULT_CSV_LIMITS)).toEqual([]);
    const found = await watchBatches(later(STALL_LIMITS.finalise * 1000 + MINUTE), STALL_LIMITS, DEFAULT_CSV_LIMITS);
    expect(found).toEqual([{ batchId, stage: 'finalise', action: 'finalise', idleSeconds: expect.any(Number) }]);

    expect(await work(batchId)).toMatchObject({
      state: 'completed',
      succeeded: 60,
      resultsKey: `results/${batchId}.csv`,
    });
    expect(await watchBatches(later(60 * MINUTE), STALL_LIMITS, DEFAULT_CSV_LIMITS)).toEqual([]);
  });

  test('a file that arrived but was never split (its event lost in a crash) is split at the restart', async () => {
    const batchId = await queuedBatch(30);
    const found = await watchBatches(deps, AFTER_RESTART_LIMITS, DEFAULT_CSV_LIMITS);
    expect(found).toEqual([{ batchId, stage: 'upload', action: 'split', idleSeconds: expect.any(Number) }]);
    expect(await work(batchId)).toMatchObject({ state: 'completed', total: 30, succeeded: 30, failed: 0 });
  });

  test('a split cut short after its first pass: the chunks are sent at the restart, and the batch completes', async () => {
    const batchId = await queuedBatch(100, { concurrency: 2 });
    await deps.batches.transition(await batchNow(batchId), ['queued'], 'processing', {
      total: 100,
      warnings: [],
      updatedAt: deps.now().toISOString(),
    });
    expect(await watchBatches(deps, STALL_LIMITS, DEFAULT_CSV_LIMITS)).toEqual([]);
    const found = await watchBatches(deps, AFTER_RESTART_LIMITS, DEFAULT_CSV_LIMITS);
    expect(found).toEqual([{ batchId, stage: 'split', action: 'resume', idleSeconds: expect.any(Number) }]);
    const batch = await work(batchId);
    expect(batch).toMatchObject({ state: 'completed', total: 100, succeeded: 100 });
    expect(batch.dispatchedAt).toBeDefined();
  });

  test('pending chunks nobody records are reported; once the queue can no longer hold them, only they are sent again', async () => {
    const batchId = await queuedBatch(100);
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    // Chunks 2 and 3 are lost: taken off the queue and never recorded.
    expect(await work(batchId, { lose: (message) => message.kind === 'rows' && message.chunk >= 2 })).toMatchObject({
      state: 'processing',
      succeeded: 50,
    });

    const stuck = later(STALL_LIMITS.rows * 1000 + MINUTE);
    expect(await watchBatches(stuck, STALL_LIMITS, DEFAULT_CSV_LIMITS)).toEqual([
      { batchId, stage: 'rows', action: 'none', idleSeconds: expect.any(Number) },
    ]);
    expect(await takeAll(batchId)).toEqual([]);

    const gone = later(STALL_LIMITS.resend * 1000 + MINUTE);
    expect(await watchBatches(gone, STALL_LIMITS, DEFAULT_CSV_LIMITS)).toEqual([
      { batchId, stage: 'rows', action: 'resume', idleSeconds: expect.any(Number) },
    ]);
    const resent = await takeAll(batchId);
    expect(chunksOf(resent)).toEqual([2, 3]);
    for (const { message } of resent) {
      await processChunk(deps, message as RowChunk);
    }
    expect(await work(batchId)).toMatchObject({ state: 'completed', succeeded: 100, failed: 0 });
  });

  test('a presigned upload nobody used is left alone; a batch whose file is gone fails, saying so', async () => {
    const { batch } = await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN });
    const waiting = batch.id;
    const vanished = await queuedBatch(10);
    await s3.send(new DeleteObjectCommand({ Bucket: config.bucketName(), Key: `uploads/${vanished}.csv` }));

    const found = await watchBatches(later(60 * MINUTE), STALL_LIMITS, DEFAULT_CSV_LIMITS);
    expect(found.map(({ batchId }) => batchId)).toEqual([vanished]);
    expect(await batchNow(waiting)).toMatchObject({ state: 'awaiting_upload' });
    expect(await batchNow(vanished)).toMatchObject({
      state: 'failed',
      error: { code: 'input_missing', message: expect.stringMatching(/no longer in the bucket/) },
    });
  });
});
