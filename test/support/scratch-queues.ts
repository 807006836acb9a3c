import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { newId } from './port-contracts/fixtures';

/** The integration run's fauxqs, as the functions reach it (`AWS_ENDPOINT_URL_SQS`); queue URLs are not endpoints. */
export const scratchSqs = new SQSClient({ useQueueUrlAsEndpoint: false });

/**
 * A queue of the test's own in the integration run's fauxqs (FIFO when `name` ends in `.fifo`), so what it
 * sends and receives is no other test file's: their queues are shared.
 */
export async function scratchQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const fifo = name.endsWith('.fifo');
  const { QueueUrl } = await scratchSqs.send(
    new CreateQueueCommand({
      QueueName: `scratch-${name.replace(/\.fifo$/, '')}-${newId()}${fifo ? '.fifo' : ''}`,
      Attributes: { ...attributes, ...(fifo && { FifoQueue: 'true' }) },
    }),
  );
  if (!QueueUrl) throw new Error(`fauxqs gave no URL for queue ${name}`);
  return QueueUrl;
}

/** One receive, every system attribute with each message. */
export async function receiveOnce(queueUrl: string): Promise<Message[]> {
  const { Messages = [] } = await scratchSqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages;
}

/**
 * Every message waiting, in the order received, each deleted once received: a FIFO queue hands out a group's
 * next message only once the one before is gone.
 */
export async function drainQueue(queueUrl: string): Promise<Message[]> {
  const drained: Message[] = [];
  for (let messages = await receiveOnce(queueUrl); messages.length > 0; messages = await receiveOnce(queueUrl)) {
    for (const message of messages) {
      await scratchSqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    drained.push(...messages);
  }
  return drained;
}
