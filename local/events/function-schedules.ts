import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionName } from '../../system/functions';
import type { AfterRestart } from '../../lambdas/handlers/batch-watchdog';
import { asyncInvoker } from './async-invoker';
import { type InvokeFunction, localFunctionName } from '../stack/lambda-runtime';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../emulators/local-aws';
import { eventBridgeTime } from './scheduler';
import { functionsTriggeredBy } from './triggers';

export interface FunctionSchedules {
  /** Stops the timers and waits for the invocations under way. */
  stop(): Promise<void>;
}

/** The event an EventBridge rate rule hands the function it targets. */
function scheduledEvent(name: FunctionName, time: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: eventBridgeTime(time),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${localFunctionName(name)}-schedule`],
    detail: {},
  };
}

/**
 * The rate rules FUNCTIONS' `schedule` triggers make in AWS: each such function is invoked asynchronously
 * every `everyMinutes`. It is also invoked once at once with `{"afterRestart": true}`: when the stack starts,
 * nothing of a previous run is at work any more, so the batch watchdog can take up at once what a crash left.
 */
export function startFunctionSchedules(invoke: InvokeFunction): FunctionSchedules {
  const invoker = asyncInvoker(invoke);
  const restart: AfterRestart = { afterRestart: true };
  const timers = functionsTriggeredBy('schedule').map(({ name, trigger }) => {
    invoker.invoke(name, restart, 'the stack starting');
    return setInterval(
      () => invoker.invoke(name, scheduledEvent(name, new Date()), `every ${trigger.everyMinutes} minutes`),
      trigger.everyMinutes * 60_000,
    );
  });
  return {
    stop: () => {
      for (const timer of timers) clearInterval(timer);
      return invoker.stop();
    },
  };
}
