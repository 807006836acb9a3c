import { Duration } from 'aws-cdk-lib';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { queueVisibilityTimeoutSeconds, type TriggerQueue } from '../../system/functions';
import { DEAD_LETTER_RETENTION_DAYS } from '../../system/resources';

/** SQS's longest retention: dead letters wait as long as possible for someone to look at them. */
export const DEAD_LETTER_RETENTION = Duration.days(DEAD_LETTER_RETENTION_DAYS);

/** An SQS queue encrypted with SQS-managed keys that refuses requests not sent over TLS. */
export class SecureQueue extends Queue {
  constructor(scope: Construct, id: string, props: Omit<QueueProps, 'encryption' | 'enforceSSL'> = {}) {
    super(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  }
}

export interface RedrivenQueueProps {
  /**
   * The queue and its dead-letter queue, as FUNCTIONS' triggers name them: their consumers set their visibility
   * timeouts. A dead-letter queue no function consumes (`undefined`) takes the queue's.
   */
  queue: TriggerQueue;
  deadLetters?: TriggerQueue;
  /** ROW_QUEUE, JOB_QUEUE or the webhook queue's settings. */
  settings: { fifo: boolean; retentionDays: number; maxReceiveCount: number };
}

/**
 * A FIFO queue in high-throughput mode: deduplication and throughput limits per message group, so the many
 * groups of many batches are not held to one queue-wide rate.
 */
const FIFO: Pick<QueueProps, 'fifo' | 'deduplicationScope' | 'fifoThroughputLimit'> = {
  fifo: true,
  deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
  fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
};

/**
 * The queue `<id>Queue` and the dead-letter queue `<id>DeadLetterQueue` its messages move to once received
 * `maxReceiveCount` times; both FIFO when `settings.fifo` (a FIFO queue's dead letters need a FIFO queue).
 */
export function redrivenQueue(
  scope: Construct,
  id: string,
  { queue, deadLetters, settings }: RedrivenQueueProps,
): { queue: Queue; deadLetterQueue: Queue } {
  const fifo = settings.fifo ? FIFO : {};
  const deadLetterQueue = new SecureQueue(scope, `${id}DeadLetterQueue`, {
    ...fifo,
    retentionPeriod: DEAD_LETTER_RETENTION,
    visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds(deadLetters ?? queue)),
  });
  return {
    queue: new SecureQueue(scope, `${id}Queue`, {
      ...fifo,
      visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds(queue)),
      retentionPeriod: Duration.days(settings.retentionDays),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    }),
    deadLetterQueue,
  };
}
