import { Duration } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDefinition } from '../../lambdas/functions';
import { EVENTS, ROW_QUEUE } from '../../lambdas/resources';
import { DEAD_LETTER_RETENTION, SecureQueue } from './secure-queue';

/** The queues a function can be triggered by (`trigger.queue` in FUNCTIONS). */
export type PipelineQueueName = Extract<FunctionDefinition['trigger'], { kind: 'sqs' }>['queue'];

/** The range AWS accepts for an SQS event source's maximum concurrency. */
export const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/** What consumers match their rules on. */
export const EVENT_BUS_DESCRIPTION = `Prism registry events: source ${EVENTS.source}, detail-type ${EVENTS.batchCompleted}`;

/** AWS's guidance: a queue's visibility timeout is at least six times the timeout of the function it feeds. */
const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/** The shortest visibility timeout `queue` may have, given the functions it feeds. */
const leastVisibilityTimeoutSeconds = (queue: PipelineQueueName): number =>
  VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT *
  Math.max(
    ...Object.values<FunctionDefinition>(FUNCTIONS)
      .filter(({ trigger }) => trigger?.kind === 'sqs' && trigger.queue === queue)
      .map((definition) => definition.timeoutSeconds),
  );

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

    const rowQueueLeast = leastVisibilityTimeoutSeconds('rows');
    if (ROW_QUEUE.visibilityTimeoutSeconds < rowQueueLeast) {
      throw new Error(
        `ROW_QUEUE.visibilityTimeoutSeconds is ${ROW_QUEUE.visibilityTimeoutSeconds}; the row queue needs at least ` +
          `${rowQueueLeast}, ${VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT} times the timeout of the slowest function it feeds`,
      );
    }

    this.rowDeadLetterQueue = new SecureQueue(this, 'RowDeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      visibilityTimeout: Duration.seconds(leastVisibilityTimeoutSeconds('rowDeadLetters')),
    });
    this.rowQueue = new SecureQueue(this, 'RowQueue', {
      visibilityTimeout: Duration.seconds(ROW_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(ROW_QUEUE.retentionDays),
      deadLetterQueue: { queue: this.rowDeadLetterQueue, maxReceiveCount: ROW_QUEUE.maxReceiveCount },
    });

    this.eventBus = new EventBus(this, 'EventBus', { description: EVENT_BUS_DESCRIPTION });
  }

  /** The trigger of a function fed by `queue`: chunks of ROW_QUEUE.batchSize messages, failures reported per message. */
  eventSource(queue: PipelineQueueName): SqsEventSource {
    return new SqsEventSource(this.queue(queue), {
      batchSize: ROW_QUEUE.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: this.maxConcurrency,
    });
  }

  private queue(name: PipelineQueueName): Queue {
    switch (name) {
      case 'rows':
        return this.rowQueue;
      case 'rowDeadLetters':
        return this.rowDeadLetterQueue;
    }
  }
}
