import { EVENTS } from '../config';
import type { EventPublisher } from '../ports/events';
import { events } from './clients';

interface PutEventsAnswer {
  FailedEntryCount?: number;
  Entries?: { ErrorMessage?: string }[];
}

/** The EventBridge adapter: the registry's events on its bus, from its source. */
export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly busName: () => string) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const answer = await events().call<PutEventsAnswer>('PutEvents', {
      Entries: [
        {
          EventBusName: this.busName(),
          Source: EVENTS.source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    });
    if (answer.FailedEntryCount) {
      throw new Error(
        `EventBridge refused the ${detailType} event: ${answer.Entries?.[0]?.ErrorMessage ?? 'no reason given'}`,
      );
    }
  }
}
