import { type Delivery, type MailKind, type MailMessage, queuedDelivery } from '../../domain/delivery';
import type { Invitation } from '../../domain/invitation';
import { rfc3339 } from '../../domain/time';

/** The message that mails `invitation` as it is now (its current token generation). */
export const mailMessageOf = (
  invitation: Pick<Invitation, 'id' | 'tokenGeneration'>,
  kind: MailKind = 'invitation',
): MailMessage => ({ invitationId: invitation.id, kind, tokenGeneration: invitation.tokenGeneration });

/** The `delivery` an invitation about to be created and mailed is stored with. */
export const deliveryAtCreation = (invitation: Pick<Invitation, 'id' | 'tokenGeneration'>, now: Date): Delivery =>
  queuedDelivery(mailMessageOf(invitation), rfc3339(now));
