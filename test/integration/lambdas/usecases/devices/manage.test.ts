import { hashToken } from '../../../../../lambdas/domain/tokens';
import { addDays } from '../../../../../lambdas/domain/time';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import {
  registerDevice,
  revokeAllDevices,
  revokeDevice,
  validateRegistration,
} from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { runJob } from '../../../../../lambdas/usecases/jobs/run-job';
import { JOB_WORKS } from '../../../../../lambdas/usecases/jobs/works';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { ADMIN, AS_ADMIN, AS_RECIPIENT, integrationDeps } from '../../../../support/deps';

const deps = integrationDeps();
/** Registers as the routes do: reads the invitation with its ancestors, then registers against what it read. */
const register = async (d: typeof deps, invitationId: string, request: Parameters<typeof registerDevice>[2]) =>
  registerDevice(d, (await d.store.lineage(invitationId, request.deviceId))!, request, AS_RECIPIENT);
const issue = (request: Parameters<typeof issueInvitation>[1], idempotencyKey?: string) =>
  issueInvitation(deps, request, { origin: AS_ADMIN, idempotencyKey }).then(({ issued }) => issued);
const device = (n: number, username = 'alice') => ({
  deviceId: `device-${n}-${Date.now()}`,
  hostname: `host-${n}`,
  username,
});

describe('registry against DynamoDB Local', () => {
  test('a token-shaped name, hostname or reason is taken as it is; the audit log keeps only its hint', async () => {
    const tokenShaped = `inv-${'Z'.repeat(39)}wXyZ`;
    const { invitation } = await issue({ name: tokenShaped, type: 'read_only', transferable: true });
    expect(invitation.name).toBe(tokenShaped);
    const registered = await register(deps, invitation.id, { ...device(1), hostname: tokenShaped });
    await revokeInvitation(deps, invitation.id, `leaked ${tokenShaped}`, false, AS_ADMIN);

    const events = [
      ...(await deps.auditLog.ofTarget(invitation.id)),
      ...(await deps.auditLog.ofTarget(registered.deviceId)),
    ];
    expect(events.map((event) => event.action)).toEqual([
      'invitation.created',
      'invitation.revoked',
      'device.registered',
    ]);
    expect(events[0]!.details.name).toBe('inv-ZZZZ…wXyZ');
    expect(events[1]!.details.reason).toBe('leaked inv-ZZZZ…wXyZ');
    expect(events[2]!.details.hostname).toBe('inv-ZZZZ…wXyZ');
    expect(JSON.stringify(events)).not.toContain(tokenShaped);
  });

  test('the token is not stored: only its hash finds the invitation', async () => {
    const { invitation, token } = await issue({ name: 'lab-access', type: 'admin' });
    const stored = await deps.store.getInvitation(invitation.id);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored!.value.tokenHash).toBe(hashToken(token));
    expect((await invitationForToken(deps, token))!.value.id).toBe(invitation.id);
  });

  test('20 simultaneous registrations against maxDevices 3 leave exactly 3 active devices, every time', async () => {
    for (let round = 0; round < 3; round++) {
      const { invitation } = await issue({
        name: `cap-${round}`,
        type: 'read_only',
        maxDevices: 3,
        transferable: true,
      });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) => register(deps, invitation.id, device(n, `user-${n}`))),
      );
      const refused = outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => (o as PromiseRejectedResult).reason.code);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
      expect(refused).toEqual(Array(17).fill('max_devices_reached'));
      const devices = await deps.store.listDevices(invitation.id);
      expect(devices.filter((d) => d.status === 'active')).toHaveLength(3);
      expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(3);
    }
  });

  test('registering an active device again is idempotent and moves lastSeenAt', async () => {
    const clock = { now: new Date('2026-11-21T08:00:00Z') };
    const timed = integrationDeps(clock);
    const { invitation } = await issueInvitation(
      timed,
      { name: 'again', type: 'read_only', validDays: 3650 },
      { origin: AS_ADMIN },
    ).then((r) => r.issued);
    const first = await register(timed, invitation.id, device(1));
    clock.now = new Date('2026-11-22T08:00:00Z');
    const second = await register(timed, invitation.id, { ...device(1), deviceId: first.deviceId });
    expect(second.registeredAt).toBe(first.registeredAt);
    expect(second.lastSeenAt).toBe('2026-11-22T08:00:00Z');
    expect((await timed.store.getInvitation(invitation.id))!.value.activeDevices).toBe(1);
  });

  test('a non-transferable invitation is bound to the first username, even under a race', async () => {
    const { invitation } = await issue({ name: 'personal', type: 'read_only', maxDevices: 5 });
    const outcomes = await Promise.allSettled(
      ['alice', 'bob', 'carol', 'dave'].map((user, n) => register(deps, invitation.id, device(n, user))),
    );
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const bound = (await deps.store.getInvitation(invitation.id))!.value.boundUsername;
    expect(bound).toBe((winners[0] as PromiseFulfilledResult<{ username: string }>).value.username);
    await expect(register(deps, invitation.id, device(9, 'eve'))).rejects.toMatchObject({
      code: 'not_transferable',
    });
    await expect(register(deps, invitation.id, device(10, bound!))).resolves.toMatchObject({ status: 'active' });
  });

  test('a revoked device never returns, and frees its place for another', async () => {
    const { invitation, token } = await issue({ name: 'one-seat', type: 'read_only', maxDevices: 1 });
    const laptop = await register(deps, invitation.id, device(1));
    await expect(register(deps, invitation.id, device(2))).rejects.toMatchObject({
      message: 'Maximum devices reached',
    });
    const revoked = await revokeDevice(deps, invitation.id, laptop.deviceId, 'lost', AS_ADMIN);
    expect(revoked.alreadyRevoked).toBe(false);
    expect(revoked.device).toMatchObject({ status: 'revoked', revokedBy: ADMIN, revokeReason: 'lost' });
    expect(await validateRegistration(deps, token, laptop.deviceId)).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    await expect(register(deps, invitation.id, { ...device(1), deviceId: laptop.deviceId })).rejects.toMatchObject({
      message: 'Device binding revoked',
    });
    await expect(register(deps, invitation.id, device(3))).resolves.toMatchObject({ status: 'active' });
    const again = await revokeDevice(deps, invitation.id, laptop.deviceId, 'a second report', AS_ADMIN);
    expect(again).toEqual({ device: revoked.device, alreadyRevoked: true });
  });

  test('administrator revoke-all suspends until rotation; rotation kills the old token at once', async () => {
    const { invitation, token } = await issue({ name: 'breach', type: 'read_write', maxDevices: 3 });
    const devices = [await register(deps, invitation.id, device(1)), await register(deps, invitation.id, device(2))];
    const { invitation: suspended, revoked } = await revokeAllDevices(deps, invitation.id, undefined, true, AS_ADMIN);
    expect(suspended).toMatchObject({ status: 'suspended', activeDevices: 0, revokedBy: ADMIN });
    expect(revoked.map((d) => d.status)).toEqual(['revoked', 'revoked']);
    for (const d of devices) expect((await validateRegistration(deps, token, d.deviceId)).valid).toBe(false);
    await expect(register(deps, invitation.id, device(3))).rejects.toMatchObject({
      code: 'invitation_suspended',
    });

    const rotated = await rotateInvitation(deps, invitation.id, AS_ADMIN);
    expect(rotated.token).not.toBe(token);
    expect(rotated.invitation.status).toBe('active');
    expect(await invitationForToken(deps, token)).toBeUndefined();
    expect((await invitationForToken(deps, rotated.token))!.value.id).toBe(invitation.id);
    await expect(register(deps, invitation.id, { ...device(1), deviceId: devices[0]!.deviceId })).rejects.toMatchObject(
      { code: 'device_revoked' },
    );
    await expect(register(deps, invitation.id, device(4))).resolves.toMatchObject({ status: 'active' });
  });

  test('a recipient revoking all its devices does not suspend', async () => {
    const { invitation } = await issue({ name: 'self-service', type: 'read_only', maxDevices: 2 });
    await register(deps, invitation.id, device(1));
    const { invitation: after, revoked } = await revokeAllDevices(deps, invitation.id, undefined, false, {
      actor: `invitation:${invitation.id}`,
    });
    expect(revoked).toHaveLength(1);
    expect(after.status).toBe('active');
    await expect(register(deps, invitation.id, device(2))).resolves.toMatchObject({ status: 'active' });
  });

  test('revocation cascades down the whole tree through a job and is final', async () => {
    const org = await issue({ name: 'Org Admin', type: 'admin', maxDevices: 3 });
    const dept = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', canInvite: true, parentId: org.invitation.id },
      { origin: AS_ADMIN },
    );
    const team = await issueInvitation(
      deps,
      { name: 'Team', type: 'read_only', parentId: dept.issued.invitation.id },
      { origin: AS_ADMIN },
    );
    await register(deps, team.issued.invitation.id, device(1));
    const outcome = await revokeInvitation(deps, org.invitation.id, 'offboarding', true, AS_ADMIN);
    expect(outcome).toMatchObject({
      invitation: { status: 'revoked' },
      alreadyRevoked: false,
      job: { kind: 'revoke-cascade', state: 'queued', options: { rootId: org.invitation.id, reason: 'offboarding' } },
    });
    await runJob(deps, outcome.job!, JOB_WORKS);
    expect(await deps.jobs.getJob(outcome.job!.id)).toMatchObject({
      state: 'completed',
      summary: { invitationsRevoked: 2, alreadyRevoked: 0, devicesRevoked: 1 },
    });
    for (const { issued } of [dept, team]) {
      expect((await deps.store.getInvitation(issued.invitation.id))!.value).toMatchObject({
        status: 'revoked',
        activeDevices: 0,
        revokeReason: 'offboarding',
      });
    }
    await expect(revokeInvitation(deps, org.invitation.id, undefined, false, AS_ADMIN)).rejects.toMatchObject({
      status: 409,
    });
    await expect(rotateInvitation(deps, org.invitation.id, AS_ADMIN)).rejects.toMatchObject({
      status: 409,
      code: 'invitation_revoked',
    });
  });

  test('a child of a parent revoked meanwhile is refused: the parent is re-checked in the same transaction', async () => {
    const parent = await issue({ name: 'Parent', type: 'admin' });
    await revokeInvitation(deps, parent.invitation.id, undefined, false, AS_ADMIN);
    await expect(
      issue({ name: 'late child', type: 'read_only', parentId: parent.invitation.id }),
    ).rejects.toMatchObject({ code: 'parent_revoked' });
    await expect(issue({ name: 'child by token', type: 'read_only', parentToken: parent.token })).rejects.toMatchObject(
      { code: 'parent_revoked' },
    );
    await expect(issue({ name: 'orphan', type: 'read_only', parentId: 'nope' })).rejects.toMatchObject({
      status: 404,
      code: 'parent_not_found',
    });
  });

  test('Idempotency-Key: a repeat returns the first invitation; another body under the key is refused', async () => {
    const key = `key-${Date.now()}`;
    const request = { name: 'idempotent', type: 'read_write' as const, maxDevices: 2 };
    const [a, b] = await Promise.all([issue(request, key), issue(request, key)]);
    expect(b.invitation.id).toBe(a.invitation.id);
    expect(b.token).toBe(a.token);
    await expect(issue({ ...request, maxDevices: 3 }, key)).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_key_reused',
    });
    const other = await issueInvitation(deps, request, {
      origin: { actor: 'arn:aws:iam::000000000000:user/other' },
      idempotencyKey: key,
    });
    expect(other.issued.invitation.id).not.toBe(a.invitation.id);
  });

  test('an expired invitation can neither be accepted nor validate, whatever is stored', async () => {
    const clock = { now: new Date() };
    const timed = integrationDeps(clock);
    const { issued } = await issueInvitation(
      timed,
      { name: 'short', type: 'read_only', validDays: 1 },
      { origin: AS_ADMIN },
    );
    const registered = await register(timed, issued.invitation.id, device(1));
    clock.now = addDays(clock.now, 2);
    expect(await validateRegistration(timed, issued.token, registered.deviceId)).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });
    await expect(
      acceptInvitation(timed, { encoded: issued.encoded, device: device(2) }, AS_RECIPIENT),
    ).rejects.toMatchObject({
      status: 410,
    });
  });

  test('a tampered encoded invitation is refused without any write', async () => {
    const { invitation, encoded } = await issue({ name: 'tamper', type: 'read_only', deviceBound: false });
    const altered = encoded.slice(0, 20) + (encoded[20] === 'A' ? 'B' : 'A') + encoded.slice(21);
    const before = await deps.store.getInvitation(invitation.id);
    await expect(acceptInvitation(deps, { encoded: altered, device: device(1) }, AS_RECIPIENT)).rejects.toMatchObject({
      code: 'tampered_invitation',
    });
    expect(await deps.store.getInvitation(invitation.id)).toEqual(before);
    expect(await deps.store.listDevices(invitation.id)).toEqual([]);
  });
});
