import { RegistryError, errors } from '../../domain/errors';
import { type Invitation, assertUsable } from '../../domain/invitation';
import { assertAncestorsUsable } from '../../domain/lineage';
import { wellFormedDeviceId } from '../../domain/tokens';
import type { Deps } from '../deps';
import { requireInvitation, requireLineage } from '../lookup';

/**
 * What a delegate must hold on every call (docs/SPEC.md §3.2, §3.7, §4.1): an active, unexpired invitation under
 * ancestors that are all so too, and,
 * when it is device-bound, an active device of that invitation named in `X-Prism-Device`.
 * Whether it may create sub-invitations (`canInvite`, type rank) is then the inheritance rules' call.
 */
export async function authorizeDelegate(deps: Deps, invitationId: string, deviceId?: string): Promise<Invitation> {
  if (deviceId !== undefined) wellFormedDeviceId(deviceId, 'X-Prism-Device');
  const lineage = await requireLineage(deps, invitationId, deviceId);
  const invitation = lineage.invitation.value;
  assertUsable(invitation, deps.now(), errors);
  assertAncestorsUsable(lineage.ancestors, deps.now());
  if (!invitation.deviceBound) return invitation;
  if (!deviceId) {
    throw new RegistryError(
      401,
      'device_required',
      'This invitation is device-bound: send X-Prism-Device with a registered device id',
    );
  }
  const { device } = lineage;
  if (!device) throw new RegistryError(403, 'unknown_device', 'Device is not registered with this invitation');
  if (device.status !== 'active') throw errors.deviceRevoked(deviceId);
  return invitation;
}

/** Every invitation below `rootId`, in id (creation) order, one page at a time. */
export async function subtreePage(deps: Deps, rootId: string, limit: number, after?: string) {
  const descendants: string[] = [];
  for (let frontier = [rootId]; frontier.length > 0;) {
    frontier = (await Promise.all(frontier.map((id) => deps.store.childIds(id)))).flat();
    descendants.push(...frontier);
  }
  const ids = descendants.sort().filter((id) => after === undefined || id > after);
  const page = ids.slice(0, limit);
  const invitations = await Promise.all(page.map(async (id) => (await requireInvitation(deps, id)).value));
  return { invitations, ...(ids.length > limit && { after: page[page.length - 1]! }) };
}
