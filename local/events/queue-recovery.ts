import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Fauxqs } from '../emulators/fauxqs';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../emulators/local-aws';
import type { LocalQueue } from '../emulators/queue-resources';

/** ChangeMessageVisibilityBatch's limit. */
const PER_CALL = 10;

/**
 * Visible again after a second: fauxqs 2.4 fails to persist a visibility timeout of 0 (it writes a NULL
 * receive count into a NOT NULL column, after it has taken the message out of flight in memory).
 */
const VISIBLE_AFTER_SECONDS = 1;

const queueName = (queue: LocalQueue) => queue.arn.split(':').pop()!;

/**
 * Makes visible again, within a second, every message a previous run of this data folder left in flight. fauxqs
 * keeps an in-flight message hidden for its whole visibility timeout (half an hour on the row queue) even
 * across a restart, but once the stack starts again nothing of its previous run can still be working on one:
 * without this, a crash would hold a batch's chunks, and their lanes, for that long. Returns how many.
 */
export async function releaseInFlight(fauxqs: Pick<Fauxqs, 'endpoint' | 'server'>, queues: LocalQueue[]) {
  const client = new SQSClient({ endpoint: fauxqs.endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  let released = 0;
  try {
    for (const queue of queues) {
      const handles = (fauxqs.server.inspectQueue(queueName(queue))?.messages.inflight ?? []).map(
        ({ receiptHandle }) => receiptHandle,
      );
      for (let start = 0; start < handles.length; start += PER_CALL) {
        const entries = handles
          .slice(start, start + PER_CALL)
          .map((handle, n) => ({ Id: String(n), ReceiptHandle: handle, VisibilityTimeout: VISIBLE_AFTER_SECONDS }));
        const { Failed = [] } = await client.send(
          new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue.url, Entries: entries }),
        );
        released += entries.length - Failed.length;
      }
    }
  } finally {
    client.destroy();
  }
  return released;
}
