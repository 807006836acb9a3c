import { Webhook as Signer } from 'standardwebhooks';
import { rfc3339 } from '../../domain/time';
import {
  type DeliveryAttempt,
  type DeliveryMessage,
  RESPONSE_EXCERPT_MAX,
  type StoredWebhook,
  afterFailure,
  slackText,
} from '../../domain/webhook';
import { openSecret } from '../../domain/webhook-secret';
import type { WebhookRequest, WebhookResponse } from '../../ports';
import type { Deps } from '../deps';

/**
 * How an attempt ended: `delivered`; `dropped` (its endpoint was removed); `failed`, to be tried again after
 * `retryAfterSeconds`; or `dead_lettered`, its last attempt failed.
 */
export type DeliveryOutcome =
  { outcome: 'delivered' | 'dropped' | 'dead_lettered' } | { outcome: 'failed'; retryAfterSeconds: number };

const USER_AGENT = 'PrismRegistry-Webhooks/1';

/**
 * The request an endpoint gets: a Standard Webhooks message (`webhook-id` the delivery's id, the same on every
 * retry; `webhook-timestamp`; `webhook-signature` with the endpoint's secret), or for a `slack` endpoint an
 * incoming-webhook message, `{"text": …}`.
 */
export function webhookRequest(
  webhook: Pick<StoredWebhook, 'url' | 'kind'>,
  secret: string,
  message: DeliveryMessage,
  now: Date,
): WebhookRequest {
  const json = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
  if (webhook.kind === 'slack') {
    return { url: webhook.url, headers: json, body: JSON.stringify({ text: slackText(message.payload) }) };
  }
  const body = JSON.stringify(message.payload);
  return {
    url: webhook.url,
    headers: {
      ...json,
      'webhook-id': message.deliveryId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Signer(secret).sign(message.deliveryId, now, body),
    },
    body,
  };
}

const succeeded = (response: WebhookResponse): boolean =>
  'statusCode' in response && response.statusCode >= 200 && response.statusCode < 300;

function attemptOf(response: WebhookResponse, at: string): DeliveryAttempt {
  if ('error' in response) return { at, error: response.error };
  const excerpt = response.body.slice(0, RESPONSE_EXCERPT_MAX);
  return { at, statusCode: response.statusCode, ...(!succeeded(response) && excerpt && { response: excerpt }) };
}

/**
 * One attempt (`attempt`, 1 for the first) at a queued delivery (docs/SPEC.md §4.8): sent unless its endpoint was
 * removed, and recorded in the endpoint's deliveries log whatever the answer. A 2xx delivers it; anything else, or
 * no answer, fails the attempt, and the retry schedule says when the next comes, or that this was the last.
 */
export async function deliverWebhook(
  deps: Pick<Deps, 'webhooks' | 'keyRing' | 'sendWebhook' | 'now' | 'webhookRetrySchedule'>,
  message: DeliveryMessage,
  attempt: number,
): Promise<DeliveryOutcome> {
  const webhook = await deps.webhooks.get(message.webhookId);
  if (!webhook) return { outcome: 'dropped' };
  const secret = openSecret(await deps.keyRing(), webhook.secret);
  const response = await deps.sendWebhook(webhookRequest(webhook, secret, message, deps.now()));
  const now = deps.now();
  const record = attemptOf(response, rfc3339(now));
  const { webhookId, deliveryId } = message;
  if (succeeded(response)) {
    await deps.webhooks.recordAttempt(webhookId, deliveryId, record, 'delivered');
    return { outcome: 'delivered' };
  }
  const next = afterFailure(attempt, deps.webhookRetrySchedule);
  if ('deadLettered' in next) {
    await deps.webhooks.recordAttempt(webhookId, deliveryId, record, 'dead_lettered');
    return { outcome: 'dead_lettered' };
  }
  const nextAttemptAt = rfc3339(new Date(now.getTime() + next.retryAfterSeconds * 1000));
  await deps.webhooks.recordAttempt(webhookId, deliveryId, record, 'failed', nextAttemptAt);
  return { outcome: 'failed', retryAfterSeconds: next.retryAfterSeconds };
}
