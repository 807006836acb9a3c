import type { Invitation } from '../../../lambdas/domain/invitation';
import type { AuditLog, InvitationRepository, RegistryScan, Versioned } from '../../../lambdas/ports';
import { deviceOf, eventOf, storedInvitation, uniqueName } from './fixtures';

/** What the invitation repository contract runs against: a store, its scan and the audit log its writes append to. */
export interface InvitationPorts {
  store: InvitationRepository;
  scan: RegistryScan;
  auditLog: Pick<AuditLog, 'ofTarget'>;
}

const AT = '2026-11-21T08:00:00Z';
const STALE = { name: 'StaleState' };

/**
 * The promises of the invitation repository that every use case leans on, declared once and run against each
 * implementation: every write conditional on the state it was planned from, all or nothing with its audit event.
 */
export function invitationRepositoryContract(make: () => Promise<InvitationPorts>): void {
  let ports: InvitationPorts;
  beforeAll(async () => {
    ports = await make();
  });

  const acceptanceOf = (invitationId: string) => ({
    acceptanceId: uniqueName('acc'),
    details: { profileName: 'Profile' },
    audit: eventOf(invitationId),
  });
  const eventIdsOf = async (target: string) => (await ports.auditLog.ofTarget(target)).map((event) => event.eventId);

  async function created(overrides: Partial<Invitation> = {}, parent?: Invitation): Promise<Versioned<Invitation>> {
    const invitation = storedInvitation(overrides, parent);
    await ports.store.createInvitation(invitation, eventOf(invitation.id));
    return (await ports.store.getInvitation(invitation.id))!;
  }

  describe('invitation repository', () => {
    test('a created invitation is read back at version 1, by id and by token hash, with its event', async () => {
      const parent = await created();
      const child = storedInvitation({}, parent.value);
      await ports.store.createInvitation(child, eventOf(child.id));
      expect(await ports.store.getInvitation(child.id)).toEqual({ value: child, version: 1 });
      expect(await ports.store.invitationIdForToken(child.tokenHash)).toBe(child.id);
      const lineage = await ports.store.lineageForToken(child.tokenHash);
      expect(lineage).toEqual({
        invitation: { value: child, version: 1 },
        ancestors: [{ id: parent.value.id, invitation: parent.value }],
      });
      expect((await ports.auditLog.ofTarget(child.id)).map((event) => event.action)).toEqual(['invitation.created']);
      expect(await ports.store.getInvitation('no-such-invitation')).toBeUndefined();
      expect(await ports.store.lineageForToken('no-such-hash')).toBeUndefined();
    });

    test('a creation whose id or token exists already lands nothing, not even its event', async () => {
      const first = await created();
      const twin = storedInvitation({ id: first.value.id });
      await expect(ports.store.createInvitation(twin, eventOf(twin.id))).rejects.toMatchObject(STALE);
      expect(await ports.store.invitationIdForToken(twin.tokenHash)).toBeUndefined();
      const sameToken = storedInvitation({ tokenHash: first.value.tokenHash });
      await expect(ports.store.createInvitation(sameToken, eventOf(sameToken.id))).rejects.toMatchObject(STALE);
      expect(await ports.store.getInvitation(sameToken.id)).toBeUndefined();
      expect(await ports.auditLog.ofTarget(sameToken.id)).toEqual([]);
    });

    test("a creation spends the parent's allowance only while it lasts and the parent is usable", async () => {
      const parent = await created({ maxDescendants: 1 });
      const spending = { at: AT, spends: [{ id: parent.value.id, units: 1, maxDescendants: 1, parent: true }] };
      const first = storedInvitation({}, parent.value);
      await ports.store.createInvitation(first, eventOf(first.id), { spending });
      expect((await ports.store.getInvitation(parent.value.id))!.value.descendantsCreated).toBe(1);
      const second = storedInvitation({}, parent.value);
      await expect(ports.store.createInvitation(second, eventOf(second.id), { spending })).rejects.toMatchObject(STALE);
      expect(await ports.store.getInvitation(second.id)).toBeUndefined();

      const closed = await created({ canInvite: false });
      const refused = storedInvitation({}, closed.value);
      const under = { at: AT, spends: [{ id: closed.value.id, units: 1, maxDescendants: 10_000, parent: true }] };
      await expect(
        ports.store.createInvitation(refused, eventOf(refused.id), { spending: under }),
      ).rejects.toMatchObject(STALE);
      const expiredParent = await created({ expiresAt: '2026-11-01T00:00:00Z' });
      const late = storedInvitation({}, expiredParent.value);
      const spendLate = {
        at: AT,
        spends: [{ id: expiredParent.value.id, units: 1, maxDescendants: 10_000, parent: true }],
      };
      await expect(ports.store.createInvitation(late, eventOf(late.id), { spending: spendLate })).rejects.toMatchObject(
        STALE,
      );
    });

    test('an idempotency record is found until it expires, and a second one under its scope is refused', async () => {
      const scopeHash = uniqueName('scope');
      const record = {
        scopeHash,
        requestHash: 'r',
        notes: ['a note'],
        expiresAtEpoch: Math.floor(Date.now() / 1000) + 60,
      };
      const first = storedInvitation();
      await ports.store.createInvitation(first, eventOf(first.id), {
        idempotency: { ...record, invitationId: first.id },
      });
      expect(await ports.store.findIdempotency(scopeHash)).toEqual({ ...record, invitationId: first.id });
      const second = storedInvitation();
      await expect(
        ports.store.createInvitation(second, eventOf(second.id), {
          idempotency: { ...record, invitationId: second.id },
        }),
      ).rejects.toMatchObject(STALE);
      expect(await ports.store.getInvitation(second.id)).toBeUndefined();

      const lapsed = { ...record, scopeHash: uniqueName('scope'), expiresAtEpoch: Math.floor(Date.now() / 1000) - 60 };
      const third = storedInvitation();
      await ports.store.createInvitation(third, eventOf(third.id), {
        idempotency: { ...lapsed, invitationId: third.id },
      });
      expect(await ports.store.findIdempotency(lapsed.scopeHash)).toBeUndefined();
    });

    test('a device lands only on the version it was planned from and while every ancestor is usable', async () => {
      const parent = await created();
      const invitation = await created({}, parent.value);
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, true, eventOf(device.deviceId), [parent.value.id], AT);
      const after = (await ports.store.getInvitation(invitation.value.id))!;
      expect(after).toMatchObject({ version: 2, value: { activeDevices: 1, boundUsername: 'alice' } });
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toEqual(device);

      const stale = deviceOf(invitation.value.id);
      await expect(
        ports.store.addDevice(invitation, stale, false, eventOf(stale.deviceId), [parent.value.id], AT),
      ).rejects.toMatchObject(STALE);
      const late = deviceOf(invitation.value.id);
      await expect(
        ports.store.addDevice(after, late, false, eventOf(late.deviceId), [parent.value.id], '2030-01-01T00:00:00Z'),
      ).rejects.toMatchObject(STALE);
      expect((await ports.store.listDevices(invitation.value.id)).map((d) => d.deviceId)).toEqual([device.deviceId]);
      expect(await ports.auditLog.ofTarget(stale.deviceId)).toEqual([]);
    });

    test('a revocation changes the invitation and its devices together, on the version it read', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT);
      const read = (await ports.store.getInvitation(invitation.value.id))!;
      const revocation = { at: AT, by: 'admin', reason: 'left' };
      await expect(
        ports.store.revokeDevices(invitation, [device], revocation, eventOf(invitation.value.id), {
          invitationStatus: 'revoked',
        }),
      ).rejects.toMatchObject(STALE);
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toMatchObject({ status: 'active' });

      await ports.store.revokeDevices(read, [device], revocation, eventOf(invitation.value.id), {
        invitationStatus: 'revoked',
      });
      expect((await ports.store.getInvitation(invitation.value.id))!.value).toMatchObject({
        status: 'revoked',
        activeDevices: 0,
        revokedAt: AT,
        revokedBy: 'admin',
        revokeReason: 'left',
      });
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toMatchObject({
        status: 'revoked',
        revokeReason: 'left',
      });
      await expect(ports.store.touchDevice(invitation.value.id, device.deviceId, AT)).rejects.toMatchObject(STALE);
    });

    test('a device refresh moves lastSeenAt and what the device reports', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT);
      const seen = '2026-11-22T08:00:00Z';
      expect(
        await ports.store.touchDevice(invitation.value.id, device.deviceId, seen, { hostname: 'renamed' }),
      ).toEqual({ ...device, lastSeenAt: seen, hostname: 'renamed' });
    });

    test('a rotation swaps the token lookup and makes the invitation active again', async () => {
      const invitation = await created({ status: 'suspended', revokedAt: AT, revokedBy: 'admin' });
      const next = { tokenGeneration: 2, keyId: 'k1', tokenHint: 'inv-new', tokenHash: uniqueName('hash') };
      await ports.store.rotateToken(invitation, next, invitation.value.tokenHash, eventOf(invitation.value.id));
      expect(await ports.store.invitationIdForToken(invitation.value.tokenHash)).toBeUndefined();
      expect(await ports.store.invitationIdForToken(next.tokenHash)).toBe(invitation.value.id);
      const rotated = (await ports.store.getInvitation(invitation.value.id))!;
      expect(rotated).toMatchObject({ version: 2, value: { ...next, status: 'active' } });
      expect(rotated.value.revokedAt).toBeUndefined();
      await expect(
        ports.store.rotateToken(invitation, { ...next, tokenHash: uniqueName('hash') }, next.tokenHash, eventOf('x')),
      ).rejects.toMatchObject(STALE);
    });

    test('an acceptance lands only while the invitation and its ancestors are usable', async () => {
      const invitation = await created();
      const usable = { ids: [invitation.value.id], at: AT };
      await ports.store.recordAcceptance(invitation.value.id, acceptanceOf(invitation.value.id), usable);
      const later = { ids: [invitation.value.id], at: '2030-01-01T00:00:00Z' };
      const refused = acceptanceOf(invitation.value.id);
      await expect(ports.store.recordAcceptance(invitation.value.id, refused, later)).rejects.toMatchObject(STALE);
      expect((await ports.auditLog.ofTarget(invitation.value.id)).map((event) => event.eventId)).not.toContain(
        refused.audit.eventId,
      );
    });

    test('an acceptance and the device it registers land together, or neither', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      const accepted = acceptanceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT, accepted);
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toEqual(device);
      expect(await eventIdsOf(invitation.value.id)).toContain(accepted.audit.eventId);

      const stale = deviceOf(invitation.value.id);
      const refused = acceptanceOf(invitation.value.id);
      await expect(
        ports.store.addDevice(invitation, stale, false, eventOf(stale.deviceId), [], AT, refused),
      ).rejects.toMatchObject(STALE);
      expect(await ports.store.getDevice(invitation.value.id, stale.deviceId)).toBeUndefined();
      expect(await eventIdsOf(invitation.value.id)).not.toContain(refused.audit.eventId);
    });

    test('an acceptance refreshing its device lands only while the device is active', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT);
      const usable = { ids: [invitation.value.id], at: AT };
      const seen = '2026-11-22T08:00:00Z';
      const refresh = { deviceId: device.deviceId, seenAt: seen, reported: { hostname: 'renamed' } };
      await ports.store.recordAcceptance(invitation.value.id, acceptanceOf(invitation.value.id), usable, refresh);
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toEqual({
        ...device,
        lastSeenAt: seen,
        hostname: 'renamed',
      });

      const read = (await ports.store.getInvitation(invitation.value.id))!;
      const revocation = { at: AT, by: 'admin' };
      await ports.store.revokeDevices(read, [device], revocation, eventOf(device.deviceId));
      const refused = acceptanceOf(invitation.value.id);
      await expect(
        ports.store.recordAcceptance(invitation.value.id, refused, usable, { ...refresh, seenAt: AT }),
      ).rejects.toMatchObject(STALE);
      expect(await eventIdsOf(invitation.value.id)).not.toContain(refused.audit.eventId);
    });

    test('a validation moves lastSeenAt only from the value it read, and only while the device is active', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT);
      const [first, second] = ['2026-11-21T08:05:00Z', '2026-11-21T08:05:01Z'];
      const racing = await Promise.all([ports.store.recordSeen(device, first), ports.store.recordSeen(device, second)]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      const moved = (await ports.store.getDevice(invitation.value.id, device.deviceId))!;
      expect([first, second]).toContain(moved.lastSeenAt);
      expect(moved).toEqual({ ...device, lastSeenAt: moved.lastSeenAt });

      const read = (await ports.store.getInvitation(invitation.value.id))!;
      await ports.store.revokeDevices(read, [moved], { at: AT, by: 'admin' }, eventOf(device.deviceId));
      expect(await ports.store.recordSeen(moved, '2026-11-21T08:10:00Z')).toBe(false);
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toMatchObject({
        status: 'revoked',
        lastSeenAt: moved.lastSeenAt,
      });
    });

    test('a device is revoked as stale only while still unseen since the cutoff, and then leaves the stale list', async () => {
      const invitation = await created();
      const device = deviceOf(invitation.value.id);
      await ports.store.addDevice(invitation, device, false, eventOf(device.deviceId), [], AT);
      const cutoff = '2026-11-22T00:00:00Z';
      const unseen = async (since: string) => {
        const ids: string[] = [];
        for await (const found of ports.scan.devicesUnseenSince(since)) ids.push(found.deviceId);
        return ids;
      };
      expect(await unseen(cutoff)).toContain(device.deviceId);
      expect(await unseen(AT)).not.toContain(device.deviceId);

      // Validated after the job read it: the revocation planned from that read must not land.
      expect(await ports.store.recordSeen(device, '2026-11-23T00:00:00Z')).toBe(true);
      const read = (await ports.store.getInvitation(invitation.value.id))!;
      const stale = eventOf(device.deviceId);
      const revocation = { at: AT, by: 'system:stale-devices', reason: 'not seen for 30 days' };
      await expect(
        ports.store.revokeDevices(read, [device], revocation, stale, { unseenSince: cutoff }),
      ).rejects.toMatchObject(STALE);
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toMatchObject({ status: 'active' });
      expect(await eventIdsOf(device.deviceId)).not.toContain(stale.eventId);
      expect(await unseen(cutoff)).not.toContain(device.deviceId);

      const later = '2026-11-24T00:00:00Z';
      await ports.store.revokeDevices(read, [device], revocation, stale, { unseenSince: later });
      expect(await ports.store.getDevice(invitation.value.id, device.deviceId)).toMatchObject({
        status: 'revoked',
        revokedBy: 'system:stale-devices',
      });
      expect(await unseen(later)).not.toContain(device.deviceId);
    });

    test('an expiry is announced once, only while the invitation is active, and then leaves the reminder list', async () => {
      const now = '2026-11-25T00:00:00Z';
      const until = '2026-12-02T00:00:00Z';
      const due = await created({ createdAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z' });
      const later = await created({ createdAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-03T00:00:00Z' });
      const revoked = await created({ createdAt: '2026-11-01T00:00:00Z', expiresAt: '2026-12-01T00:00:00Z' });
      await ports.store.revokeDevices(revoked, [], { at: AT, by: 'admin' }, eventOf(revoked.value.id), {
        invitationStatus: 'revoked',
      });
      const expiring = async () => {
        const ids: string[] = [];
        for await (const found of ports.scan.expiringUnannounced(now, until)) ids.push(found.id);
        return ids;
      };
      const listed = await expiring();
      expect(listed).toContain(due.value.id);
      expect(listed).not.toContain(later.value.id);
      expect(listed).not.toContain(revoked.value.id);

      const [first, second] = [eventOf(due.value.id, now), eventOf(due.value.id, now)];
      const racing = await Promise.all([
        ports.store.recordExpiryReminder(due.value.id, now, first),
        ports.store.recordExpiryReminder(due.value.id, now, second),
      ]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      const events = await eventIdsOf(due.value.id);
      expect([first.eventId, second.eventId].filter((id) => events.includes(id))).toHaveLength(1);
      expect((await ports.store.getInvitation(due.value.id))!.value.expiryRemindedAt).toBe(now);
      expect(await expiring()).not.toContain(due.value.id);

      const refused = eventOf(revoked.value.id, now);
      expect(await ports.store.recordExpiryReminder(revoked.value.id, now, refused)).toBe(false);
      expect(await eventIdsOf(revoked.value.id)).not.toContain(refused.eventId);
    });

    test('a delivery status is set with its event, only for the message it is about, never on a missing invitation', async () => {
      const invitation = await created({ email: 'ada@example.org' });
      const id = invitation.value.id;
      const queued = { status: 'queued' as const, kind: 'invitation' as const, at: AT, tokenGeneration: 1 };
      expect(await ports.store.recordDelivery(id, queued)).toBe(true);
      const sent = { ...queued, status: 'sent' as const, messageId: 'message-1' };
      const sentEvent = eventOf(id);
      expect(await ports.store.recordDelivery(id, sent, sentEvent)).toBe(true);
      expect(await eventIdsOf(id)).toContain(sentEvent.eventId);

      const lateEvent = eventOf(id);
      const late = { ...sent, status: 'bounced' as const, messageId: 'an-older-message' };
      expect(await ports.store.recordDelivery(id, late, lateEvent, { messageId: 'an-older-message' })).toBe(false);
      expect(await eventIdsOf(id)).not.toContain(lateEvent.eventId);
      const bounced = { ...sent, status: 'bounced' as const, error: 'Permanent: General' };
      expect(await ports.store.recordDelivery(id, bounced, eventOf(id), { messageId: 'message-1' })).toBe(true);
      const read = (await ports.store.getInvitation(id))!;
      expect(read.value.delivery).toEqual(bounced);
      // Not a versioned change: a use case holding the invitation's version still writes.
      expect(read.version).toBe(invitation.version);

      const missing = uniqueName('missing');
      expect(await ports.store.recordDelivery(missing, queued)).toBe(false);
      expect(await ports.store.getInvitation(missing)).toBeUndefined();
    });

    test('of racing claims on a queued e-mail one wins; a stale claim can be taken again', async () => {
      const invitation = await created({ email: 'ada@example.org' });
      const id = invitation.value.id;
      const message = { invitationId: id, kind: 'invitation' as const, tokenGeneration: 1 };
      await ports.store.recordDelivery(id, { status: 'queued', kind: 'invitation', at: AT, tokenGeneration: 1 });
      const claims = await Promise.all([
        ports.store.claimDelivery(id, message, '2026-11-21T08:00:01Z', '2026-11-21T07:58:01Z'),
        ports.store.claimDelivery(id, message, '2026-11-21T08:00:01Z', '2026-11-21T07:58:01Z'),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await ports.store.claimDelivery(id, message, '2026-11-21T08:01:00Z', '2026-11-21T07:59:00Z')).toBe(false);
      expect(await ports.store.claimDelivery(id, message, '2026-11-21T08:03:00Z', '2026-11-21T08:01:00Z')).toBe(true);
      const otherGeneration = { ...message, tokenGeneration: 2 };
      expect(await ports.store.claimDelivery(id, otherGeneration, '2026-11-21T09:00:00Z', '2026-11-21T08:58:00Z')).toBe(
        false,
      );
      expect((await ports.store.getInvitation(id))!.value.delivery?.claimedAt).toBe('2026-11-21T08:03:00Z');
    });

    test('an expired invitation closed for removal stays readable and leaves the cleanup list', async () => {
      const expired = await created({ expiresAt: '2026-11-20T00:00:00Z' });
      const device = deviceOf(expired.value.id);
      await ports.store.addDevice(expired, device, false, eventOf(device.deviceId), [], '2026-11-19T00:00:00Z');
      const read = (await ports.store.getInvitation(expired.value.id))!;
      const awaiting = async () => {
        const ids: string[] = [];
        for await (const id of ports.scan.expiredAwaitingRemoval(AT)) ids.push(id);
        return ids;
      };
      expect(await awaiting()).toContain(expired.value.id);
      const removeAfter = new Date('2027-02-18T00:00:00Z');
      await ports.store.scheduleDependentsRemoval(read.value, removeAfter);
      const revocation = { at: AT, by: 'system', reason: 'invitation expired' };
      await ports.store.closeExpired(read, removeAfter, {
        devices: [device],
        revocation,
        audit: eventOf(expired.value.id),
      });
      expect(await awaiting()).not.toContain(expired.value.id);
      expect((await ports.store.getInvitation(expired.value.id))!.value).toMatchObject({
        expiredMarkedAt: AT,
        activeDevices: 0,
        status: 'active',
      });
      expect(await ports.store.getDevice(expired.value.id, device.deviceId)).toMatchObject({ status: 'revoked' });
      expect(await ports.store.invitationIdForToken(expired.value.tokenHash)).toBe(expired.value.id);
      await expect(ports.store.closeExpired(read, removeAfter)).rejects.toMatchObject(STALE);
    });

    test('children come back once each, in creation order, across shards and pages', async () => {
      const parent = await created();
      const children: string[] = [];
      for (let n = 0; n < 23; n++) children.push((await created({ name: `child-${n}` }, parent.value)).value.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ports.store.listInvitations({ parentId: parent.value.id }, 5, cursor, AT);
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.cursor;
        pages++;
      } while (cursor && pages < 100);
      expect(seen).toEqual(children);
      expect(pages).toBeGreaterThanOrEqual(5);
      expect(await ports.store.childIdsAfter(parent.value.id, children[2], 3)).toEqual(children.slice(3, 6));
      expect([...(await ports.store.childIds(parent.value.id))].sort()).toEqual(children);
    });

    test('filters combine: status, type and name prefix', async () => {
      const prefix = uniqueName('Filter');
      const list = async (filter: Parameters<InvitationPorts['store']['listInvitations']>[0], limit: number) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ports.store.listInvitations(filter, limit, cursor, AT);
          seen.push(...page.items.map((item) => item.id));
          cursor = page.cursor;
        } while (cursor);
        return seen;
      };
      const admin = await created({ name: `${prefix}a`, type: 'admin' });
      const reader = await created({ name: `${prefix}b`, type: 'read_only' });
      const gone = await created({ name: `${prefix}c`, type: 'read_only', status: 'revoked' });
      const expired = await created({ name: `${prefix}d`, type: 'read_only', expiresAt: '2026-11-01T00:00:00Z' });
      const ids = [admin, reader, gone, expired].map(({ value }) => value.id);
      expect((await list({ namePrefix: prefix }, 2)).sort()).toEqual(ids.sort());
      expect(await list({ namePrefix: prefix, type: 'read_only', status: 'active' }, 10)).toEqual([reader.value.id]);
      expect(await list({ namePrefix: prefix, status: 'revoked' }, 10)).toEqual([gone.value.id]);
      expect(await list({ namePrefix: prefix, status: 'expired' }, 10)).toEqual([expired.value.id]);
    });

    test('roots lists only invitations without a parent, with the other filters, a batch and across pages', async () => {
      const prefix = uniqueName('Roots');
      const list = async (filter: Parameters<InvitationPorts['store']['listInvitations']>[0], limit: number) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ports.store.listInvitations(filter, limit, cursor, AT);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((item) => item.id));
          cursor = page.cursor;
        } while (cursor);
        return seen.sort();
      };
      const batchId = uniqueName('batch');
      const admin = await created({ name: `${prefix}a`, type: 'admin', batchId, batchRow: 1 });
      const reader = await created({ name: `${prefix}b`, type: 'read_only' });
      const gone = await created({ name: `${prefix}c`, type: 'read_only', status: 'revoked' });
      const child = await created({ name: `${prefix}d`, type: 'read_only', batchId, batchRow: 2 }, admin.value);
      await created({ name: `${prefix}e`, type: 'read_only' }, child.value);
      const roots = [admin, reader, gone].map(({ value }) => value.id).sort();
      expect(await list({ namePrefix: prefix, roots: true }, 1)).toEqual(roots);
      expect(await list({ namePrefix: prefix, roots: false }, 10)).toHaveLength(5);
      expect(await list({ namePrefix: prefix, roots: true, type: 'read_only' }, 10)).toEqual(
        [reader, gone].map(({ value }) => value.id).sort(),
      );
      expect(await list({ namePrefix: prefix, roots: true, status: 'active' }, 10)).toEqual(
        [admin, reader].map(({ value }) => value.id).sort(),
      );
      expect(await list({ batchId, roots: true }, 10)).toEqual([admin.value.id]);
      expect(await list({ batchId }, 10)).toEqual([admin.value.id, child.value.id].sort());
    });

    test('a cursor that was not issued is refused as bad input', async () => {
      await expect(ports.store.listInvitations({}, 10, 'garbage!', AT)).rejects.toMatchObject({
        status: 400,
        code: 'invalid_request',
      });
    });

    test('the scan streams invitations by effective status, and each with its devices', async () => {
      const live = await created({ name: uniqueName('live') });
      const lapsed = await created({ expiresAt: '2026-11-01T00:00:00Z' });
      const device = deviceOf(live.value.id);
      await ports.store.addDevice(live, device, false, eventOf(device.deviceId), [], AT);
      const ids = async (status: 'active' | 'expired') => {
        const found: string[] = [];
        for await (const invitation of ports.scan.invitations({ status, now: new Date(AT) })) found.push(invitation.id);
        return found;
      };
      expect(await ids('active')).toContain(live.value.id);
      expect(await ids('active')).not.toContain(lapsed.value.id);
      expect(await ids('expired')).toContain(lapsed.value.id);
      const devicesOf = new Map<string, unknown[]>();
      for await (const { invitation, devices } of ports.scan.devicesWithInvitations())
        devicesOf.set(invitation.id, devices);
      expect(devicesOf.get(live.value.id)).toEqual([device]);
      expect(devicesOf.get(lapsed.value.id)).toEqual([]);
    });
  });
}
