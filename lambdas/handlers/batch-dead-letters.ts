import { sendRowMessages } from '../adapters/row-queue';
import type { RowQueueMessage } from '../domain/batch';
import { ROW_QUEUE } from '../resources';
import { defaultDeps } from '../usecases/deps';
import { failChunk } from '../usecases/process-chunk';
import { failBatch } from '../usecases/finalise-batch';
import { countBatchRows } from './metrics';
import { sqsBatchHandler } from './sqs-batch';

/**
 * Messages the worker could not process after ROW_QUEUE.maxReceiveCount deliveries. Their rows are
 * recorded as Failed with the reason, and the batch completes as it would have, so no batch hangs.
 */
async function handle(message: RowQueueMessage): Promise<void> {
  const deps = defaultDeps();
  if (message.kind === 'finalise') {
    return failBatch(
      deps,
      message.batchId,
      'results_failed',
      `The results could not be written after ${ROW_QUEUE.maxReceiveCount} attempts`,
    );
  }
  const reason = `could not be processed after ${ROW_QUEUE.maxReceiveCount} attempts`;
  const { recorded, finished } = await failChunk(deps, message, reason);
  countBatchRows(recorded);
  if (finished) await sendRowMessages([{ kind: 'finalise', batchId: message.batchId }]);
}

export const handler = sqsBatchHandler(handle);
