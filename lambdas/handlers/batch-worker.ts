import type { Context, SQSRecord } from 'aws-lambda';
import type { RowQueueMessage } from '../domain/batch';
import type { Deps } from '../usecases/deps';
import { finaliseBatch } from '../usecases/batch/finalise';
import { processChunk } from '../usecases/batch/chunk';
import { chunkSettled } from './chunk-settled';
import { sqsBatchHandler } from './sqs-batch';

/** One message of the row queue: a chunk of rows, or a request for a batch's results, under its lease. */
async function handle(message: RowQueueMessage, record: SQSRecord, _context: Context, deps: Deps): Promise<void> {
  const lease = { receipt: record.receiptHandle, receiveCount: Number(record.attributes.ApproximateReceiveCount) };
  if (message.kind === 'finalise') return finaliseBatch(deps, message.batchId, lease);
  chunkSettled(await processChunk(deps, message, lease), message.batchId);
}

export const handler = sqsBatchHandler(handle);
