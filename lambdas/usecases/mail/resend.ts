import type { Origin } from '../../domain/audit';
import { type Delivery, queuedDelivery } from '../../domain/delivery';
import { RegistryError } from '../../domain/errors';
import type { Invitation } from '../../domain/invitation';
import { rfc3339 } from '../../domain/time';
import type { Deps } from '../deps';
import { rotateInvitation } from '../invitations/manage';
import { requireInvitation } from '../lookup';
import { mailMessageOf, queueMail, unqueuedDelivery } from './queue';

/**
 * `invitations send` (docs/SPEC.md §4.8), the resend: the invitation gets a new token, so whatever was mailed or
 * leaked before stops working, then its recipient is e-mailed the new one. Refused for an invitation with no address,
 * and as a rotation is for one revoked or expired. The answer holds no secret: only the recipient gets the token.
 */
export async function sendInvitation(deps: Deps, id: string, origin: Origin): Promise<Invitation> {
  const found = await requireInvitation(deps, id);
  if (found.value.email === undefined) {
    throw new RegistryError(409, 'no_email', 'Invitation has no e-mail address to send to; create it with one');
  }
  const { invitation } = await rotateInvitation(deps, id, origin);
  const message = mailMessageOf(invitation);
  const at = rfc3339(deps.now());
  const queued: Delivery = queuedDelivery(message, at);
  await deps.store.recordDelivery(id, queued);
  const delivery = (await queueMail(deps, [message], origin)) ? queued : unqueuedDelivery(message, at);
  return { ...invitation, delivery };
}
