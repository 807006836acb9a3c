import { rfc3339 } from '../../domain/time';
import type { Webhook, WebhookPayload } from '../../domain/webhook';
import type { Deps } from '../deps';

export interface Delivery {
  webhook: Pick<Webhook, 'id'>;
  /** The event's id, the delivery's id (Standard Webhooks' `webhook-id`). */
  eventId: string;
  payload: WebhookPayload;
}

/**
 * Records each delivery as `pending`, then queues it for the sender. A delivery recorded already (its event handed
 * over again) is queued again: delivery is at least once, and receivers tell repeats apart by `webhook-id`.
 */
export async function queueDeliveries(
  deps: Pick<Deps, 'webhooks' | 'deliveries' | 'now'>,
  deliveries: readonly Delivery[],
) {
  if (deliveries.length === 0) return;
  const createdAt = rfc3339(deps.now());
  await Promise.all(
    deliveries.map(({ webhook, eventId, payload }) =>
      deps.webhooks.recordPending({
        id: eventId,
        webhookId: webhook.id,
        action: payload.type,
        status: 'pending',
        attempts: [],
        createdAt,
      }),
    ),
  );
  await deps.deliveries.send(
    deliveries.map(({ webhook, eventId, payload }) => ({ deliveryId: eventId, webhookId: webhook.id, payload })),
  );
}
