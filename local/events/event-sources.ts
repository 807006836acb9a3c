import { join } from 'node:path';
import { queueSettings, type TriggerQueue } from '../../system/functions';
import { ROW_QUEUE } from '../../system/resources';
import type { LocalResources } from '../emulators/bootstrap';
import type { Fauxqs } from '../emulators/fauxqs';
import type { InvokeFunction } from '../stack/lambda-runtime';
import { startS3Notifications } from './s3-notifications';
import { startQueuePoller } from './sqs-poller';
import { startStreamPoller } from './stream-poller';
import { functionsTriggeredBy } from './triggers';

export interface EventSourcesOptions {
  fauxqs: Fauxqs;
  /** DynamoDB Local, whose audit table's stream feeds the functions it triggers. */
  dynamodb: string;
  resources: Pick<LocalResources, 'bucket' | 'queues' | 'auditTableName'>;
  invoke: InvokeFunction;
  /** Invocations at once per row queue; the job queues take JOB_QUEUE.defaultMaxConcurrency, as in AWS. */
  workerConcurrency: number;
  /** Where each stream-fed function's position in its stream is kept (`stackFiles().streams`). */
  streamsFolder: string;
}

export interface EventSources {
  /** Stops them all and waits for the invocations under way. */
  stop(): Promise<void>;
}

/**
 * What invokes functions besides the API, as FUNCTIONS' triggers wire them in AWS: the bucket's
 * object-created notifications, one SQS event source (batches of its queueSettings' batch size) per queue trigger,
 * and the audit table's stream for each function it feeds.
 */
export function startEventSources(options: EventSourcesOptions): EventSources {
  const { fauxqs, dynamodb, resources, invoke, workerConcurrency, streamsFolder } = options;
  const maxConcurrency = (queue: TriggerQueue) =>
    queueSettings(queue) === ROW_QUEUE ? workerConcurrency : queueSettings(queue).defaultMaxConcurrency;
  const notifications = startS3Notifications({ fauxqs, bucket: resources.bucket, invoke });
  const pollers = functionsTriggeredBy('sqs').map(({ name, trigger }) =>
    startQueuePoller({
      endpoint: fauxqs.endpoint,
      queue: resources.queues[trigger.queue],
      functionName: name,
      invoke,
      batchSize: queueSettings(trigger.queue).batchSize,
      maxConcurrency: maxConcurrency(trigger.queue),
    }),
  );
  const streamPollers = functionsTriggeredBy('auditStream').map(({ name }) =>
    startStreamPoller({
      endpoint: dynamodb,
      tableName: resources.auditTableName,
      functionName: name,
      invoke,
      checkpointFile: join(streamsFolder, `${name}.json`),
    }),
  );
  // No source for `sesEvents`: the mail catcher reports nothing after SMTP takes a message, so `sent` is final here.
  return {
    stop: async () => {
      await Promise.all([notifications.stop(), ...[...pollers, ...streamPollers].map((poller) => poller.stop())]);
    },
  };
}
