import type { SQSRecord } from 'aws-lambda';
import { retryLater } from '../adapters/row-queue';
import type { RowQueueMessage } from '../domain/batch';
import { defaultDeps } from '../adapters/composition';
import { finaliseBatch } from '../usecases/batch/finalise';
import { processChunk, requireBatch } from '../usecases/batch/chunk';
import { chunkSettled } from './chunk-settled';
import { sqsBatchHandler } from './sqs-batch';

/** Retries of a failed message back off: 2, 4, 8… seconds, instead of the whole visibility timeout. */
const retryDelay = (receiveCount: number) => Math.min(2 ** receiveCount, 300);

/**
 * One message of the row queue. Only a real failure (an exception, throttling the SDK's retries did not
 * overcome) reaches the catch: it is retried after a back-off and counts toward the dead-letter queue.
 * Waiting for a lane never does, as SQS does not hand out a lane's next chunk before the one in flight ends.
 */
async function handle(message: RowQueueMessage, record: SQSRecord): Promise<void> {
  const deps = defaultDeps();
  try {
    if (message.kind === 'finalise') return await finaliseBatch(deps, message.batchId);
    const batch = await requireBatch(deps, message.batchId);
    await chunkSettled(await processChunk(deps, batch, message), message.batchId);
  } catch (error) {
    await retryLater(record.receiptHandle, retryDelay(Number(record.attributes.ApproximateReceiveCount)));
    throw error;
  }
}

export const handler = sqsBatchHandler(handle);
