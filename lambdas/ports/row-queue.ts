import type { RowQueueEnvelope } from '../domain/batch';

/** The row queue (FIFO) that carries a batch's chunks and its requests for results. */
export interface RowQueue {
  /** Sends every envelope, each in its message group with its deduplication id; none is dropped silently. */
  send(envelopes: RowQueueEnvelope[]): Promise<void>;
  /** Lets a received message that failed come back after `seconds` rather than the whole visibility timeout. */
  retryLater(receipt: string, seconds: number): Promise<void>;
}
