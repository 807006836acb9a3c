import type { AuditEvent } from '../../domain/audit';
import { eventPayload, subscribes } from '../../domain/webhook';
import type { Deps } from '../deps';
import { queueDeliveries } from './queue';

/**
 * Hands each audit event to every endpoint subscribed to its action (docs/SPEC.md §4.8): one delivery per
 * (endpoint, event), recorded `pending` and queued. Answers how many were queued.
 */
export async function dispatchWebhookEvents(
  deps: Pick<Deps, 'webhooks' | 'deliveries' | 'now'>,
  events: readonly AuditEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const webhooks = await deps.webhooks.list();
  const deliveries = events.flatMap((event) =>
    webhooks
      .filter((webhook) => subscribes(webhook, event.action))
      .map((webhook) => ({ webhook, eventId: event.eventId, payload: eventPayload(event) })),
  );
  await queueDeliveries(deps, deliveries);
  return deliveries.length;
}
