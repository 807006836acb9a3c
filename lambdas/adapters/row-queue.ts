import type { RowQueueEnvelope } from '../domain/batch';
import type { RowQueue } from '../ports/row-queue';
import { changeVisibility, sendMessageBatches } from './message-batches';

/** The row queue on SQS: the FIFO queue at `queueUrl`, read when first used. */
export class SqsRowQueue implements RowQueue {
  constructor(private readonly queueUrl: () => string) {}

  /** Each message in its message group and with its deduplication id (`sendMessageBatches`). */
  async send(envelopes: RowQueueEnvelope[]): Promise<void> {
    const entries = envelopes.map((envelope) => ({
      MessageBody: JSON.stringify(envelope.message),
      MessageGroupId: envelope.group,
      MessageDeduplicationId: envelope.deduplicationId,
    }));
    await sendMessageBatches(this.queueUrl(), entries, 'row queue');
  }

  async retryLater(receipt: string, seconds: number): Promise<void> {
    await changeVisibility(this.queueUrl(), receipt, seconds);
  }
}
