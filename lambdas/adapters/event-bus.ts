import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { config } from '../config';
import { EVENTS } from '../../system/resources';
import { events } from './clients';

/** Publishes one registry event; a refused entry is an error, so the caller retries. */
export async function publishEvent(detailType: string, detail: Record<string, unknown>): Promise<void> {
  const answer = await events().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: config.eventBusName(),
          Source: EVENTS.source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if (answer.FailedEntryCount) {
    throw new Error(
      `EventBridge refused the ${detailType} event: ${answer.Entries?.[0]?.ErrorMessage ?? 'no reason given'}`,
    );
  }
}
