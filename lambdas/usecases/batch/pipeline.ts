import type { Batch } from '../../domain/batch';
import type { Deps } from '../deps';

export async function requireBatch({ batches }: Pick<Deps, 'batches'>, batchId: string): Promise<Batch> {
  const batch = await batches.getBatch(batchId);
  if (!batch) throw new Error(`Batch ${batchId} does not exist`);
  return batch;
}

/** A message of the row queue as a worker holds it: its receipt, and how many times it has been received. */
export interface Lease {
  receipt: string;
  receiveCount: number;
}

/** Retries of a failed message back off: 2, 4, 8… seconds, instead of the whole visibility timeout. */
const retryDelay = (receiveCount: number) => Math.min(2 ** receiveCount, 300);

/**
 * Runs a stage's work on a message under its lease. Only a real failure (an exception, throttling the SDK's
 * retries did not overcome) hands the message back, after a back-off, and counts toward the dead-letter
 * queue. Waiting for a lane never does, as SQS does not hand out a lane's next chunk before the one in flight
 * ends. Without a lease (the dead-letter queue's messages) a failure takes the queue's own time.
 */
export async function underLease<T>(
  { rows }: Pick<Deps, 'rows'>,
  lease: Lease | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (lease) await rows.retryLater(lease.receipt, retryDelay(lease.receiveCount));
    throw error;
  }
}
