import { EVENTS } from '../config';
import type { BusEvent, EventPublisher, RefusedEvent } from '../ports/events';
import { events } from './clients';

interface PutEventsAnswer {
  FailedEntryCount?: number;
  Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/** The EventBridge adapter: the registry's events on its bus, from its source. */
export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly busName: () => string) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const [refused] = await this.putBatch([{ detailType, detail }]);
    if (refused) throw new Error(`EventBridge refused the ${detailType} event: ${refused.reason}`);
  }

  /** One PutEvents call; EventBridge answers an entry for each event, in order, with an error code where refused. */
  async putBatch(batch: readonly BusEvent[]): Promise<RefusedEvent[]> {
    const busName = this.busName();
    const answer = await events().call<PutEventsAnswer>('PutEvents', {
      Entries: batch.map(({ detailType, detail }) => ({
        EventBusName: busName,
        Source: EVENTS.source,
        DetailType: detailType,
        Detail: JSON.stringify(detail),
      })),
    });
    if (!answer.FailedEntryCount) return [];
    return batch.flatMap((_, index): RefusedEvent[] => {
      const entry = answer.Entries?.[index];
      if (entry?.EventId) return [];
      return [{ index, reason: entry?.ErrorCode ? `${entry.ErrorCode}: ${entry.ErrorMessage}` : 'no reason given' }];
    });
  }
}
