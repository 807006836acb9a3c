import type { Origin } from '../../domain/audit';
import { type Delivery, type MailKind, type MailMessage, queuedDelivery } from '../../domain/delivery';
import type { Invitation } from '../../domain/invitation';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';

/** Said of a message that could not be queued: the administrator can try again. */
const NOT_QUEUED = 'the mail queue could not be reached; send it again with `invitations send`';

/** The message that mails `invitation` as it is now (its current token generation). */
export const mailMessageOf = (
  invitation: Pick<Invitation, 'id' | 'tokenGeneration'>,
  kind: MailKind = 'invitation',
): MailMessage => ({ invitationId: invitation.id, kind, tokenGeneration: invitation.tokenGeneration });

/** The `delivery` an invitation about to be created and mailed is stored with, so queuing it writes nothing more. */
export const deliveryAtCreation = (invitation: Pick<Invitation, 'id' | 'tokenGeneration'>, now: Date): Delivery =>
  queuedDelivery(mailMessageOf(invitation), rfc3339(now));

/** The `delivery` of a message the queue could not take. */
export const unqueuedDelivery = (message: MailMessage, at: string): Delivery => ({
  ...queuedDelivery(message, at),
  status: 'failed',
  error: NOT_QUEUED,
});

/**
 * Queues `messages`, whose invitations already show them `queued` (docs/SPEC.md §4.8). Mail never fails what asked
 * for it: when the queue cannot be reached, each invitation's delivery says so (`failed`, with its audit event, as
 * `origin`) and the caller goes on. Resolves to whether they were queued.
 */
export async function queueMail(deps: Deps, messages: readonly MailMessage[], origin: Origin): Promise<boolean> {
  if (messages.length === 0) return true;
  try {
    await deps.mail.send(messages);
    return true;
  } catch {
    await Promise.allSettled(
      messages.map((message) => {
        const delivery = unqueuedDelivery(message, rfc3339(deps.now()));
        const event = audit(deps, origin, 'invitation.delivery', message.invitationId, {
          kind: message.kind,
          status: delivery.status,
          error: delivery.error,
        });
        return deps.store.recordDelivery(message.invitationId, delivery, event);
      }),
    );
    return false;
  }
}
