import type {
  CreatedWebhook,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookList,
  WebhookView,
} from '../lambdas/contract/views';
import { fields, paged, table, timestamp } from './output';

const eventsOf = (webhook: WebhookView) => webhook.events.join(', ');

/** A new endpoint and its signing secret, which the registry shows this once. */
export const renderCreatedWebhook = ({ webhook, secret }: CreatedWebhook): string =>
  [
    `Webhook ${webhook.id} added.`,
    fields([
      ['URL', webhook.url],
      ['Kind', webhook.kind],
      ['Events', eventsOf(webhook)],
      ['Description', webhook.description],
    ]),
    '',
    `Signing secret: ${secret}`,
    'Store it now: it is shown this once and cannot be read back. Receivers verify each delivery with it',
    '(Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).',
  ].join('\n');

export function renderWebhookList({ webhooks }: WebhookList): string {
  if (webhooks.length === 0) return 'No webhooks.';
  const rows = webhooks.map((webhook) => [
    webhook.id,
    webhook.kind,
    eventsOf(webhook),
    webhook.url,
    webhook.description ?? '',
  ]);
  return table(['ID', 'KIND', 'EVENTS', 'URL', 'DESCRIPTION'], rows);
}

/** The last attempt of a delivery, in a few words: `500`, `204`, or its error. */
function lastAttempt({ attempts }: WebhookDeliveryView): string {
  const last = attempts[attempts.length - 1];
  if (!last) return '';
  return last.statusCode !== undefined ? String(last.statusCode) : (last.error ?? '');
}

export function renderDeliveryPage(page: WebhookDeliveryPage): string {
  if (page.deliveries.length === 0) return 'No deliveries.';
  const rows = page.deliveries.map((delivery) => [
    delivery.id,
    delivery.action,
    delivery.status,
    String(delivery.attempts.length),
    lastAttempt(delivery),
    timestamp(delivery.nextAttemptAt),
  ]);
  return paged(
    table(['DELIVERY', 'ACTION', 'STATUS', 'ATTEMPTS', 'LAST', 'NEXT ATTEMPT'], rows),
    'deliveries',
    page.cursor,
  );
}
