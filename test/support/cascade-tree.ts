import type { Origin } from '../../lambdas/domain/audit';
import type { Deps } from '../../lambdas/usecases/deps';
import { registerDevice } from '../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../lambdas/usecases/invitations/issue';
import { AS_ADMIN } from './origins';

export interface Tree {
  root: string;
  /** Every descendant of the root. */
  descendants: string[];
  /** The root's children. */
  children: string[];
  /** Descendants with an active device each. */
  withDevices: string[];
}

/**
 * root → 9 children, each with 3 (the third may not invite), the first of which has 2 more (which may not
 * invite); and under the second grandchild a chain down to 8 levels below the root: 60 descendants, ids in
 * creation order.
 */
export async function tree(deps: Deps, origin: Origin): Promise<Tree> {
  const descendants: string[] = [];
  const issue = async (name: string, parentId?: string, canInvite = true) => {
    const request = { name, type: canInvite ? 'admin' : 'read_only', canInvite, maxDevices: 2, transferable: true };
    const { issued } = await issueInvitation(deps, { ...request, ...(parentId && { parentId }) } as never, { origin });
    if (parentId) descendants.push(issued.invitation.id);
    return issued.invitation.id;
  };
  const root = await issue('Root');
  const children: string[] = [];
  for (let a = 0; a < 9; a++) {
    const child = await issue(`L1-${a}`, root);
    children.push(child);
    for (let b = 0; b < 3; b++) {
      const grandchild = await issue(`L2-${a}-${b}`, child, b < 2);
      if (b === 0) for (let c = 0; c < 2; c++) await issue(`L3-${a}-${c}`, grandchild, false);
    }
  }
  let deep = descendants[4]!;
  for (let level = 3; level <= 8; level++) deep = await issue(`deep-${level}`, deep);
  const withDevices = [children[1]!, descendants[10]!, deep];
  for (const [n, id] of withDevices.entries()) {
    const device = { deviceId: `device-cascade-${id}`, hostname: `host-${n}`, username: `user-${n}` };
    await registerDevice(deps, (await deps.store.lineage(id, device.deviceId))!, device, AS_ADMIN);
  }
  return { root, descendants, children, withDevices };
}
