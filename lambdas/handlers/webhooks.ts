import type {
  CreatedWebhook,
  QueuedTestDelivery,
  RemovedWebhook,
  WebhookDeliveryPage,
  WebhookList,
} from '../contract/views';
import { createWebhook, listDeliveries, listWebhooks, removeWebhook, testWebhook } from '../usecases/webhooks/manage';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

export const handler = httpFunction('webhooks', {
  'POST /webhooks': async ({ body, origin, deps }) => {
    const created: CreatedWebhook = await createWebhook(deps, body, origin);
    return { body: created };
  },
  'GET /webhooks': async ({ deps }) => {
    const list: WebhookList = { webhooks: await listWebhooks(deps) };
    return { body: list };
  },
  'DELETE /webhooks/{id}': async ({ params, origin, deps }) => {
    await removeWebhook(deps, params.id!, origin);
    const removed: RemovedWebhook = { removed: params.id! };
    return { body: removed };
  },
  'POST /webhooks/{id}/test': async ({ params, origin, deps }) => {
    const queued: QueuedTestDelivery = await testWebhook(deps, params.id!, origin);
    return { body: queued };
  },
  'GET /webhooks/{id}/deliveries': async ({ params, query, deps }) => {
    const { items, cursor } = await listDeliveries(deps, params.id!, query.limit ?? DEFAULT_PAGE, query.cursor);
    const page: WebhookDeliveryPage = { deliveries: items, ...(cursor && { cursor }) };
    return { body: page };
  },
});
