import { EventBridgePublisher } from '../../../../lambdas/adapters/event-bus';
import { config } from '../../../../lambdas/config';
import { EVENTS } from '../../../../system/resources';
import { readLocalEvents } from '../../../../local/events/event-log';
import { newId } from '../../../support/port-contracts/fixtures';
import { eventPublisherContract } from '../../../support/port-contracts/event-publisher';

/** What the integration run's local event bus logged since the last call. */
function unreadEvents() {
  let read = readLocalEvents().length;
  return () => {
    const fresh = readLocalEvents().slice(read);
    read += fresh.length;
    return fresh;
  };
}

describe('the EventBridge publisher against the local event bus', () => {
  eventPublisherContract(async () => {
    const unread = unreadEvents();
    return {
      publisher: new EventBridgePublisher(config.eventBusName),
      published: async () => unread().map((event) => ({ detailType: event['detail-type'], detail: event.detail })),
      refusing: () => new EventBridgePublisher(() => `${config.eventBusName()}-gone`),
    };
  });

  test("an event goes on the registry's bus from the registry's source, for the rules that match on them", async () => {
    const unread = unreadEvents();
    const batchId = `batch-${newId()}`;
    await new EventBridgePublisher(config.eventBusName).publish(EVENTS.batchCompleted, { batchId });
    expect(unread().filter((event) => event.detail.batchId === batchId)).toEqual([
      expect.objectContaining({ bus: config.eventBusName(), source: EVENTS.source }),
    ]);
  });
});
