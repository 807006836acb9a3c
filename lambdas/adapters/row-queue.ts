import { MESSAGES_PER_SEND } from '../config';
import type { RowQueueEnvelope } from '../domain/batch';
import type { RowQueue } from '../ports/row-queue';
import { sqs } from './clients';

const SEND_ATTEMPTS = 5;

/** The row queue on SQS: the FIFO queue at `queueUrl`, read when first used. */
export class SqsRowQueue implements RowQueue {
  constructor(private readonly queueUrl: () => string) {}

  /**
   * Ten messages per call, each in its message group and with its deduplication id, resending the entries SQS
   * reports as failed. Anything still unsent after a few attempts is an error: a row is never dropped silently.
   */
  async send(envelopes: RowQueueEnvelope[]): Promise<void> {
    for (let start = 0; start < envelopes.length; start += MESSAGES_PER_SEND) {
      let pending = envelopes.slice(start, start + MESSAGES_PER_SEND).map((envelope, n) => ({
        Id: String(n),
        MessageBody: JSON.stringify(envelope.message),
        MessageGroupId: envelope.group,
        MessageDeduplicationId: envelope.deduplicationId,
      }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > SEND_ATTEMPTS) {
          throw new Error(
            `Could not send ${pending.length} message(s) to the row queue after ${SEND_ATTEMPTS} attempts`,
          );
        }
        const { Failed = [] } = await sqs().call<{ Failed?: { Id: string }[] }>('SendMessageBatch', {
          QueueUrl: this.queueUrl(),
          Entries: pending,
        });
        const failedIds = new Set(Failed.map((failure) => failure.Id));
        pending = pending.filter((entry) => failedIds.has(entry.Id));
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async retryLater(receipt: string, seconds: number): Promise<void> {
    await sqs().call('ChangeMessageVisibility', {
      QueueUrl: this.queueUrl(),
      ReceiptHandle: receipt,
      VisibilityTimeout: seconds,
    });
  }
}
