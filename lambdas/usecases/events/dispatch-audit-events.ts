import type { AuditEvent } from '../../domain/audit';
import { mailMessageOfEvent } from '../../domain/delivery';
import type { Deps } from '../deps';
import { dispatchWebhookEvents } from '../webhooks/dispatch';

/**
 * What the audit table's stream sets going besides the event bus (docs/SPEC.md §4.8): a delivery to every webhook
 * subscribed to each event's action, and the e-mail each event that asks for one queues (`mailMessageOfEvent`).
 * Answers how many of each were queued; throws when either could not be, so the stream hands the events over again
 * (both are safe to repeat: a delivery is recorded once per event, an e-mail sent once per queued delivery).
 */
export async function dispatchAuditEvents(
  deps: Pick<Deps, 'webhooks' | 'deliveries' | 'mail' | 'now'>,
  events: readonly AuditEvent[],
): Promise<{ webhookDeliveries: number; mails: number }> {
  const mails = events.flatMap((event) => mailMessageOfEvent(event) ?? []);
  const [webhookDeliveries] = await Promise.all([
    dispatchWebhookEvents(deps, events),
    mails.length > 0 ? deps.mail.send(mails) : undefined,
  ]);
  return { webhookDeliveries, mails: mails.length };
}
