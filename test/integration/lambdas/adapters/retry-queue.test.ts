import { GetQueueAttributesCommand, type Message } from '@aws-sdk/client-sqs';
import { SqsRetryQueue } from '../../../../lambdas/adapters/retry-queue';
import type { DeliveryMessage } from '../../../../lambdas/domain/webhook';
import { receiveOnce, scratchQueue, scratchSqs } from '../../../support/scratch-queues';
import { waitUntil } from '../../support/wait';

/** The next message `url` hands out, waiting for it. */
async function nextMessage(url: string, what: string): Promise<Message> {
  return (await waitUntil(what, async () => (await receiveOnce(url))[0]))!;
}

const message = (deliveryId: string): DeliveryMessage => ({
  deliveryId,
  webhookId: 'hook1',
  payload: { type: 'webhook.test', timestamp: '2026-12-03T10:00:00Z', data: {} },
});

/**
 * What the webhook sender relies on from the queue, checked on fauxqs as the embedded stack runs it: a failed
 * delivery put off with ChangeMessageVisibility comes back only then, and once received as many times as the
 * redrive allows, it moves to the dead-letter queue.
 */
describe('the SQS retry queue (webhook deliveries) against fauxqs', () => {
  test('sends every message, in batches of ten', async () => {
    const url = await scratchQueue('webhooks');
    const queue = new SqsRetryQueue<DeliveryMessage>(() => url, 'webhook delivery queue');
    await queue.send(Array.from({ length: 13 }, (_, n) => message(`d${n}`)));
    const received: string[] = [];
    await waitUntil('all 13 are received', async () => {
      for (const { Body } of await receiveOnce(url)) received.push((JSON.parse(Body!) as DeliveryMessage).deliveryId);
      return received.length === 13;
    });
    expect(received.sort()).toEqual(Array.from({ length: 13 }, (_, n) => `d${n}`).sort());
  });

  test('a message put off comes back after its delay, and dead-letters after maxReceiveCount receives', async () => {
    const deadLetters = await scratchQueue('webhooks-dlq');
    const { Attributes } = await scratchSqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['QueueArn'] }),
    );
    const url = await scratchQueue('webhooks', {
      VisibilityTimeout: '60',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }),
    });
    const queue = new SqsRetryQueue<DeliveryMessage>(() => url, 'webhook delivery queue');
    await queue.send([message('d1')]);

    const first = await nextMessage(url, 'the message is received');
    expect(first.Attributes!.ApproximateReceiveCount).toBe('1');
    await queue.retryAfter(first.ReceiptHandle!, 2);
    expect(await receiveOnce(url)).toEqual([]);
    const putOffAt = Date.now();
    const second = await nextMessage(url, 'it comes back');
    expect(Date.now() - putOffAt).toBeGreaterThanOrEqual(1_000);
    expect(second.Attributes!.ApproximateReceiveCount).toBe('2');

    // Its last attempt failed: back at once, and the next receive moves it to the dead-letter queue.
    await queue.retryAfter(second.ReceiptHandle!, 0);
    expect(await receiveOnce(url)).toEqual([]);
    const dead = await nextMessage(deadLetters, 'it reaches the dead-letter queue');
    expect(JSON.parse(dead.Body!)).toEqual(message('d1'));
  });
});
