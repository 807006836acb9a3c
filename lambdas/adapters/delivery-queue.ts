import type { DeliveryMessage } from '../domain/webhook';
import type { DeliveryQueue } from '../ports/webhooks';
import { changeVisibility, sendMessageBatches } from './message-batches';

/** The webhook delivery queue on SQS, at `queueUrl`, read when first used. */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(private readonly queueUrl: () => string) {}

  async send(messages: readonly DeliveryMessage[]): Promise<void> {
    const entries = messages.map((message) => ({ MessageBody: JSON.stringify(message) }));
    await sendMessageBatches(this.queueUrl(), entries, 'webhook delivery queue');
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await changeVisibility(this.queueUrl(), receiptHandle, seconds);
  }
}
