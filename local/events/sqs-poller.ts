import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../../system/functions';
import type { LocalQueue } from '../emulators/queue-resources';
import { batchOutcome } from './batch-response';
import type { InvokeFunction } from '../stack/lambda-runtime';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../emulators/local-aws';
import { sqsEvent } from './sqs-event';

/**
 * How long one ReceiveMessage waits for messages. Short, because a stop waits for it: fauxqs keeps a waiting
 * receive alive after its client gives up, and that receive would then take the next message out of sight.
 */
const LONG_POLL_SECONDS = 1;

/** Before polling again after a failed receive. */
const PAUSE_AFTER_ERROR_MS = 1_000;

export interface QueuePollerOptions {
  /** fauxqs. */
  endpoint: string;
  queue: LocalQueue;
  functionName: FunctionName;
  invoke: InvokeFunction;
  /** Messages per invocation at most (10 at most, SQS's limit per receive). */
  batchSize: number;
  /** Invocations under way at once at most. */
  maxConcurrency: number;
}

export interface QueuePoller {
  /** Stops receiving, then waits for the invocations under way (and their deletes). */
  stop(): Promise<void>;
}

const queueName = (queue: LocalQueue) => queue.arn.split(':').pop();

/**
 * Feeds a queue to a function as Lambda's SQS event source does: batches of up to `batchSize` messages as
 * `SQSEvent`s, up to `maxConcurrency` invocations at once; the messages of an invocation are deleted unless it
 * threw or listed them in `batchItemFailures`, in which case they come back after their visibility timeout
 * (and go to the dead-letter queue after the queue's maxReceiveCount, which fauxqs applies).
 */
export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const { endpoint, queue, functionName, invoke, batchSize, maxConcurrency } = options;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new Error(`A queue poller needs a maxConcurrency of 1 or more, got ${maxConcurrency}`);
  }
  const client = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  const label = `[${queueName(queue)} → ${functionName}]`;
  const invocations = new Set<Promise<void>>();
  let stopping = false;

  const receive = async (): Promise<Message[]> => {
    const { Messages } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: LONG_POLL_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  };

  const deleteMessages = async (messages: Message[]) => {
    if (messages.length === 0) return;
    const { Failed } = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    for (const failure of Failed ?? []) {
      const message = messages[Number(failure.Id)];
      console.error(`${label} could not delete message ${message?.MessageId}: ${failure.Code} ${failure.Message}`);
    }
  };

  /** Never throws: whatever goes wrong leaves messages on the queue, as with Lambda. */
  const deliver = async (messages: Message[]) => {
    const requestId = randomUUID();
    const messageIds = messages.map((message) => message.MessageId ?? '');
    let failed: ReadonlySet<string>;
    try {
      const outcome = batchOutcome(await invoke(functionName, sqsEvent(messages, queue.arn), requestId), messageIds);
      if (outcome.problem) console.error(`${label} ${requestId}: every message failed, ${outcome.problem}`);
      failed = outcome.failed;
    } catch (error) {
      console.error(`${label} ${requestId} threw; its ${messages.length} messages will be received again:`, error);
      failed = new Set(messageIds);
    }
    try {
      await deleteMessages(messages.filter((message) => !failed.has(message.MessageId ?? '')));
    } catch (error) {
      console.error(`${label} ${requestId}: could not delete the messages it processed:`, error);
    }
  };

  const start = (messages: Message[]) => {
    const invocation = deliver(messages);
    invocations.add(invocation);
    void invocation.finally(() => invocations.delete(invocation));
  };

  const poll = async () => {
    let failing = false;
    while (!stopping) {
      if (invocations.size >= maxConcurrency) {
        await Promise.race(invocations);
        continue;
      }
      try {
        const messages = await receive();
        failing = false;
        if (messages.length > 0) start(messages);
      } catch (error) {
        // One line per outage, not one per attempt.
        if (!failing) console.error(`${label} cannot receive; trying again every ${PAUSE_AFTER_ERROR_MS} ms:`, error);
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_ERROR_MS));
      }
    }
  };

  const polling = poll();
  return {
    stop: async () => {
      stopping = true;
      await polling;
      await Promise.all(invocations);
      client.destroy();
    },
  };
}
