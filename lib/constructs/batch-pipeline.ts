import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS, ROW_QUEUE } from '../../system/resources';
import { redrivenQueue } from './secure-queue';

/** The range AWS accepts for an SQS event source's maximum concurrency. */
export const MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/** What consumers match their rules on. */
export const EVENT_BUS_DESCRIPTION =
  `Prism registry events: source ${EVENTS.source}, detail-type ${EVENTS.batchCompleted} ` +
  'or the action of an audit event (invitation.created, device.registered, ...)';

export interface BatchPipelineProps {
  /** Invocations at once of each row queue's consumer, within MAX_CONCURRENCY_RANGE. Default ROW_QUEUE.defaultMaxConcurrency. */
  maxConcurrency?: number;
}

/**
 * What carries a batch from its split to its results: the row queue (ROW_QUEUE) with the dead-letter queue
 * its poison messages end up in, and the event bus BatchCompleted goes out on (EVENTS), as every audit event does.
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

    const rows = redrivenQueue(this, 'Row', { queue: 'rows', deadLetters: 'rowDeadLetters', settings: ROW_QUEUE });
    this.rowQueue = rows.queue;
    this.rowDeadLetterQueue = rows.deadLetterQueue;

    this.eventBus = new EventBus(this, 'EventBus', { description: EVENT_BUS_DESCRIPTION });
  }
}
