import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookQueueSettings } from '../../system/resources';
import { redrivenQueue } from './secure-queue';

/**
 * The webhook delivery queue (WEBHOOK_QUEUE), one message per (endpoint, event), redriven to its dead-letter queue
 * once received as many times as the retry schedule gives attempts (docs/SPEC.md §4.8).
 */
export class WebhookDeliveries extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { queue, deadLetterQueue } = redrivenQueue(this, 'Delivery', {
      queue: 'webhookDeliveries',
      settings: webhookQueueSettings(),
    });
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
  }
}
