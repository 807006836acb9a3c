import { monotonicFactory } from 'ulid';
import { type AuditEvent, auditEvent } from '../../../lambdas/domain/audit';
import type { Device } from '../../../lambdas/domain/device';
import type { Invitation } from '../../../lambdas/domain/invitation';
import { invitation } from '../invitations';
import { AS_ADMIN } from '../origins';

/** Ids in creation order, as the use cases mint them (ULIDs, monotonic within a millisecond). */
export const newId = monotonicFactory();

/** An invitation record of its own (id and token hash), under `parent` when given. */
export function storedInvitation(overrides: Partial<Invitation> = {}, parent?: Invitation): Invitation {
  const id = newId();
  return invitation({
    id,
    tokenHash: `hash-${id}`,
    ...(parent && { parentId: parent.id, ancestors: [parent.id, ...(parent.ancestors ?? [])] }),
    ...overrides,
  });
}

/** An audit event of `targetId` at `at` (its id minted at that time, as the use cases mint it). */
export const eventOf = (targetId: string, at = '2026-11-21T08:00:00Z', details: AuditEvent['details'] = {}) =>
  auditEvent(AS_ADMIN, 'invitation.created', targetId, details, { eventId: newId(Date.parse(at)), at });

export const deviceOf = (invitationId: string, deviceId = `device-${newId()}`): Device => ({
  invitationId,
  deviceId,
  hostname: 'host',
  username: 'alice',
  status: 'active',
  registeredAt: '2026-11-21T08:00:00Z',
  lastSeenAt: '2026-11-21T08:00:00Z',
});

export const uniqueName = (prefix: string) => `${prefix}-${newId()}-`;
