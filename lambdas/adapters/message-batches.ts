import { MESSAGES_PER_SEND } from '../config';
import { sqs } from './clients';

const SEND_ATTEMPTS = 5;

/** A SendMessageBatch entry without its `Id`, which is given per call. */
export type MessageEntry = { MessageBody: string } & Record<string, string>;

/**
 * Sends `entries` to a queue, MESSAGES_PER_SEND per call, resending the entries SQS reports as failed. Anything still
 * unsent after a few attempts is an error naming `queueName`: a message is never dropped silently.
 */
export async function sendMessageBatches(queueUrl: string, entries: readonly MessageEntry[], queueName: string) {
  for (let start = 0; start < entries.length; start += MESSAGES_PER_SEND) {
    let pending = entries.slice(start, start + MESSAGES_PER_SEND).map((entry, n) => ({ Id: String(n), ...entry }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > SEND_ATTEMPTS) {
        throw new Error(
          `Could not send ${pending.length} message(s) to the ${queueName} after ${SEND_ATTEMPTS} attempts`,
        );
      }
      const { Failed = [] } = await sqs().call<{ Failed?: { Id: string }[] }>('SendMessageBatch', {
        QueueUrl: queueUrl,
        Entries: pending,
      });
      const failedIds = new Set(Failed.map((failure) => failure.Id));
      pending = pending.filter((entry) => failedIds.has(entry.Id));
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Keeps a received message out of sight for `seconds` more. */
export async function changeVisibility(queueUrl: string, receiptHandle: string, seconds: number): Promise<void> {
  await sqs().call('ChangeMessageVisibility', {
    QueueUrl: queueUrl,
    ReceiptHandle: receiptHandle,
    VisibilityTimeout: seconds,
  });
}
