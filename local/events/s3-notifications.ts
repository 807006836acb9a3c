import { asyncInvoker } from './async-invoker';
import type { Fauxqs } from '../emulators/fauxqs';
import { localFunctionName, type InvokeFunction } from '../stack/lambda-runtime';
import { objectCreatedEvent } from './s3-event';
import { functionsTriggeredBy } from './triggers';

export interface S3NotificationsOptions {
  fauxqs: Pick<Fauxqs, 'onObjectCreated'>;
  /** The bucket whose notifications FUNCTIONS configures (its `s3` triggers). */
  bucket: string;
  invoke: InvokeFunction;
}

export interface S3Notifications {
  /** Stops sending events, drops the retries still waiting and waits for the invocations under way. */
  stop(): Promise<void>;
}

/**
 * S3 event notifications of the bucket: every object created under a prefix an `s3` trigger names is sent
 * to that function as an `S3Event`, asynchronously, as S3 and Lambda would.
 */
export function startS3Notifications({ fauxqs, bucket, invoke }: S3NotificationsOptions): S3Notifications {
  const subscriptions = functionsTriggeredBy('s3');
  const invoker = asyncInvoker(invoke);
  const unsubscribe = fauxqs.onObjectCreated((created) => {
    if (created.bucket !== bucket) return;
    for (const { name, trigger } of subscriptions) {
      if (!trigger.prefixes.some((prefix) => created.key.startsWith(prefix))) continue;
      invoker.invoke(name, objectCreatedEvent(created, localFunctionName(name)), `s3://${bucket}/${created.key}`);
    }
  });
  return {
    stop: () => {
      unsubscribe();
      return invoker.stop();
    },
  };
}
