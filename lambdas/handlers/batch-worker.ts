import type { SQSRecord } from 'aws-lambda';
import type { RowQueueMessage } from '../domain/batch';
import { finaliseBatch } from '../usecases/batch/finalise';
import { processChunk } from '../usecases/batch/chunk';
import { batchDeps } from './batch-deps';
import { chunkSettled } from './chunk-settled';
import { sqsBatchHandler } from './sqs-batch';

/** One message of the row queue: a chunk of rows, or a request for a batch's results, under its lease. */
async function handle(message: RowQueueMessage, record: SQSRecord): Promise<void> {
  const lease = { receipt: record.receiptHandle, receiveCount: Number(record.attributes.ApproximateReceiveCount) };
  if (message.kind === 'finalise') return finaliseBatch(batchDeps(), message.batchId, lease);
  chunkSettled(await processChunk(batchDeps(), message, lease), message.batchId);
}

export const handler = sqsBatchHandler(handle);
