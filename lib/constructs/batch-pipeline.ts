import { Duration } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type TriggerQueue, queueVisibilityTimeoutSeconds } from '../../lambdas/functions';
import { EVENTS, ROW_QUEUE } from '../../lambdas/resources';
import { DEAD_LETTER_RETENTION, SecureQueue } from './secure-queue';

/** The range AWS accepts for an SQS event source's maximum concurrency. */
export const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/** What consumers match their rules on. */
export const EVENT_BUS_DESCRIPTION = `Prism registry events: source ${EVENTS.source}, detail-type ${EVENTS.batchCompleted}`;

export interface BatchPipelineProps {
  /** Invocations at once of each queue's consumer, within MAX_CONCURRENCY_RANGE. Default ROW_QUEUE.defaultMaxConcurrency. */
  maxConcurrency?: number;
}

/**
 * What carries a batch from its split to its results: the row queue (ROW_QUEUE) with the dead-letter queue
 * its poison messages end up in, and the event bus BatchCompleted goes out on (EVENTS).
 */
export class BatchPipeline extends Construct {
  public readonly rowQueue: Queue;
  public readonly rowDeadLetterQueue: Queue;
  public readonly eventBus: EventBus;
  public readonly maxConcurrency: number;

  constructor(
    scope: Construct,
    id: string,
    { maxConcurrency = ROW_QUEUE.defaultMaxConcurrency }: BatchPipelineProps = {},
  ) {
    super(scope, id);
    this.maxConcurrency = maxConcurrency;

    this.rowDeadLetterQueue = new SecureQueue(this, 'RowDeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds('rowDeadLetters')),
    });
    this.rowQueue = new SecureQueue(this, 'RowQueue', {
      visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds('rows')),
      retentionPeriod: Duration.days(ROW_QUEUE.retentionDays),
      deadLetterQueue: { queue: this.rowDeadLetterQueue, maxReceiveCount: ROW_QUEUE.maxReceiveCount },
    });

    this.eventBus = new EventBus(this, 'EventBus', { description: EVENT_BUS_DESCRIPTION });
  }

  /** The trigger of a function fed by `queue`: chunks of ROW_QUEUE.batchSize messages, failures reported per message. */
  eventSource(queue: TriggerQueue): SqsEventSource {
    return new SqsEventSource(this.queue(queue), {
      batchSize: ROW_QUEUE.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: this.maxConcurrency,
    });
  }

  private queue(name: TriggerQueue): Queue {
    switch (name) {
      case 'rows':
        return this.rowQueue;
      case 'rowDeadLetters':
        return this.rowDeadLetterQueue;
    }
  }
}
