import { changeVisibility, sendMessageBatches } from './message-batches';

/**
 * A queue on SQS whose messages are JSON documents, each one attempt at something (a webhook delivery, an e-mail)
 * that its consumer retries on a schedule by keeping the message out of sight until the next attempt. Its URL is
 * read when first used; `name` names it in errors.
 */
export class SqsRetryQueue<Message> {
  constructor(
    private readonly queueUrl: () => string,
    private readonly name: string,
  ) {}

  async send(messages: readonly Message[]): Promise<void> {
    const entries = messages.map((message) => ({ MessageBody: JSON.stringify(message) }));
    await sendMessageBatches(this.queueUrl(), entries, this.name);
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await changeVisibility(this.queueUrl(), receiptHandle, seconds);
  }
}
