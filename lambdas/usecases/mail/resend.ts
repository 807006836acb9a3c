import type { Origin } from '../../domain/audit';
import { RegistryError } from '../../domain/errors';
import type { Invitation } from '../../domain/invitation';
import type { Deps } from '../deps';
import { rotateInvitation } from '../invitations/manage';
import { requireInvitation } from '../lookup';

/**
 * `invitations send` (docs/SPEC.md §4.8), the resend: the invitation gets a new token, so whatever was mailed or
 * leaked before stops working, and the e-mail of the new one is queued in the same write. Refused for an invitation
 * with no address, and as a rotation is for one revoked or expired. The answer holds no secret: only the recipient
 * gets the token.
 */
export async function sendInvitation(deps: Deps, id: string, origin: Origin): Promise<Invitation> {
  const found = await requireInvitation(deps, id);
  if (found.value.email === undefined) {
    throw new RegistryError(409, 'no_email', 'Invitation has no e-mail address to send to; create it with one');
  }
  return (await rotateInvitation(deps, id, origin, { deliver: true })).invitation;
}
