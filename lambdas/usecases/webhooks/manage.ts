import { type Origin, maskSecrets } from '../../domain/audit';
import { RegistryError, invalid, notFound } from '../../domain/errors';
import { rfc3339 } from '../../domain/time';
import {
  MAX_WEBHOOKS,
  type StoredWebhook,
  type Webhook,
  type WebhookDelivery,
  type WebhookKind,
  publicWebhook,
  testPayload,
  webhookUrlProblem,
} from '../../domain/webhook';
import { newWebhookSecret, sealSecret } from '../../domain/webhook-secret';
import type { Page } from '../../ports';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { queueDeliveries } from './queue';

export interface NewWebhook {
  url: string;
  events: string[];
  kind?: WebhookKind;
  description?: string;
}

/** The host of an endpoint's URL: all of it the audit log records (a path or query may carry a receiver's key). */
const hostOf = (url: string): string => new URL(url).host;

/**
 * Registers an endpoint (docs/SPEC.md §4.8): its URL checked, its signing secret made and stored sealed under the
 * key ring. The secret is answered here once and never again; the audit event names the URL's host only.
 */
export async function createWebhook(
  deps: Deps,
  input: NewWebhook,
  origin: Origin,
): Promise<{ webhook: Webhook; secret: string }> {
  const problem = webhookUrlProblem(input.url, deps.allowLoopbackWebhooks);
  if (problem) throw invalid('url', problem);
  if ((await deps.webhooks.list()).length >= MAX_WEBHOOKS) {
    throw new RegistryError(
      409,
      'too_many_webhooks',
      `A registry keeps at most ${MAX_WEBHOOKS} webhooks; remove one first`,
    );
  }
  const secret = newWebhookSecret();
  const now = deps.now();
  const webhook: StoredWebhook = {
    id: deps.newId(now.getTime()),
    url: input.url,
    events: [...new Set(input.events)],
    kind: input.kind ?? 'standard',
    // Shown to every administrator who lists endpoints: a token pasted into it is masked as the audit log masks it.
    ...(input.description !== undefined && { description: maskSecrets(input.description) }),
    createdAt: rfc3339(now),
    createdBy: origin.actor,
    secret: sealSecret(await deps.keyRing(), secret),
  };
  const event = audit(deps, origin, 'webhook.created', webhook.id, {
    host: hostOf(webhook.url),
    kind: webhook.kind,
    events: webhook.events,
  });
  await deps.webhooks.create(webhook, event);
  return { webhook: publicWebhook(webhook), secret };
}

export const listWebhooks = async (deps: Pick<Deps, 'webhooks'>): Promise<Webhook[]> =>
  (await deps.webhooks.list()).map(publicWebhook);

async function requireWebhook(deps: Pick<Deps, 'webhooks'>, id: string): Promise<StoredWebhook> {
  const webhook = await deps.webhooks.get(id);
  if (!webhook) throw notFound('Webhook', { id });
  return webhook;
}

/** Removes an endpoint: deliveries queued for it are dropped when their turn comes. */
export async function removeWebhook(deps: Deps, id: string, origin: Origin): Promise<void> {
  const webhook = await requireWebhook(deps, id);
  const removed = await deps.webhooks.remove(
    id,
    audit(deps, origin, 'webhook.removed', id, { host: hostOf(webhook.url) }),
  );
  if (!removed) throw notFound('Webhook', { id });
}

/** Queues the sample event `webhook.test` to one endpoint: the id of its delivery. */
export async function testWebhook(deps: Deps, id: string, origin: Origin): Promise<{ deliveryId: string }> {
  const webhook = await requireWebhook(deps, id);
  const now = deps.now();
  const eventId = deps.newId(now.getTime());
  await queueDeliveries(deps, [
    { webhook, eventId, payload: testPayload(webhook.id, eventId, rfc3339(now), origin.actor) },
  ]);
  return { deliveryId: eventId };
}

export async function listDeliveries(
  deps: Pick<Deps, 'webhooks'>,
  id: string,
  limit: number,
  cursor?: string,
): Promise<Page<WebhookDelivery>> {
  await requireWebhook(deps, id);
  return deps.webhooks.listDeliveries(id, limit, cursor);
}
