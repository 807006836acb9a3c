import type { SQSRecord, Context } from 'aws-lambda';
import type { RowQueueMessage } from '../domain/batch';
import type { Deps } from '../usecases/deps';
import { ROW_QUEUE } from '../config';
import { failChunk } from '../usecases/batch/chunk';
import { chunkSettled } from './chunk-settled';
import { logger } from './logger';
import { sqsBatchHandler } from './sqs-batch';

/**
 * Messages the worker could not process after ROW_QUEUE.maxReceiveCount deliveries. A chunk's rows are
 * recorded as Failed with the reason, and the batch completes as it would have, so no batch hangs. A
 * request for results that kept failing leaves the batch processing with every row accounted for: the batch
 * watchdog asks for its results again on its next round, and reports it as stalled until they are written.
 */
async function handle(message: RowQueueMessage, _record: SQSRecord, _context: Context, deps: Deps): Promise<void> {
  if (message.kind === 'finalise') {
    logger.error('The results of a batch could not be written', {
      batchId: message.batchId,
      attempts: ROW_QUEUE.maxReceiveCount,
    });
    return;
  }
  const reason = `could not be processed after ${ROW_QUEUE.maxReceiveCount} attempts`;
  chunkSettled(await failChunk(deps, message, reason), message.batchId);
}

export const handler = sqsBatchHandler(handle);
