import { ROW_QUEUE } from '../lambdas/resources';
import type { BatchResources } from './batch-resources';
import type { Fauxqs } from './fauxqs';
import type { InvokeFunction } from './lambda-runtime';
import { startS3Notifications } from './s3-notifications';
import { startQueuePoller } from './sqs-poller';
import { functionsTriggeredBy } from './triggers';

export interface EventSourcesOptions {
  fauxqs: Fauxqs;
  resources: BatchResources;
  invoke: InvokeFunction;
  /** Invocations at once per queue. */
  maxConcurrency: number;
}

export interface EventSources {
  /** Stops them all and waits for the invocations under way. */
  stop(): Promise<void>;
}

/**
 * What invokes functions besides the API, as FUNCTIONS' triggers wire them in AWS: the bucket's
 * object-created notifications and one SQS event source (batches of ROW_QUEUE.batchSize) per queue trigger.
 */
export function startEventSources({ fauxqs, resources, invoke, maxConcurrency }: EventSourcesOptions): EventSources {
  const notifications = startS3Notifications({ fauxqs, bucket: resources.bucket, invoke });
  const pollers = functionsTriggeredBy('sqs').map(({ name, trigger }) =>
    startQueuePoller({
      endpoint: fauxqs.endpoint,
      queue: resources.queues[trigger.queue],
      functionName: name,
      invoke,
      batchSize: ROW_QUEUE.batchSize,
      maxConcurrency,
    }),
  );
  return {
    stop: async () => {
      await Promise.all([notifications.stop(), ...pollers.map((poller) => poller.stop())]);
    },
  };
}
