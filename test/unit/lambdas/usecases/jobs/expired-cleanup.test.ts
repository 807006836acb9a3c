import { addDays } from '../../../../../lambdas/domain/time';
import { hashToken } from '../../../../../lambdas/domain/tokens';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { revokeAllDevices, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { expiredCleanup } from '../../../../../lambdas/usecases/jobs/expired-cleanup';
import { ENV } from '../../../../../system/resources';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { register as registerOn } from '../../../../support/memory/registration';
import { deviceOf, eventOf } from '../../../../support/port-contracts/fixtures';
import { scheduledRun } from '../../../../support/job-runs';
import { AS_ADMIN } from '../../../../support/origins';

const SYSTEM = 'system:expired-cleanup';
const CREATED = new Date('2026-11-21T08:00:00Z');
/** A day after the one-day invitations expired. */
const CLEANUP = new Date('2026-11-23T08:00:00Z');
const DAY_SECONDS = 86_400;

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps({ now: CREATED });
});
afterEach(() => {
  delete process.env[ENV.retentionDays];
});

const issue = (name: string, validDays: number, maxDevices = 3) =>
  issueInvitation(deps, { name, type: 'read_only', validDays, maxDevices }, { origin: AS_ADMIN }).then(
    ({ issued }) => issued,
  );

const register = (invitationId: string, deviceId: string) =>
  registerOn(deps, invitationId, { deviceId, hostname: 'lab-host', username: 'alice' }, AS_ADMIN);

const run = (options: { concurrency?: number } = {}) =>
  expiredCleanup(deps, scheduledRun('expired-cleanup', deps.clock.now.toISOString(), options));

/** The removal times (`ttl`) of every item of an invitation's partition, in key order: acceptances, devices, record. */
function partitionTtls(invitationId: string): { kind: string; ttl?: number }[] {
  const of = <T extends { ttl?: number }>(kind: string, items?: Map<string, T>) =>
    [...(items?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, item]) => ({ kind, ttl: item.ttl }));
  return [
    ...of('ACC#', deps.tables.acceptances.get(invitationId)),
    ...of('DEV#', deps.tables.devices.get(invitationId)),
    { kind: 'INV', ttl: deps.tables.invitations.get(invitationId)!.ttl },
  ];
}

const tokenTtl = (token: string) => deps.tables.tokens.get(hashToken(token))!.ttl;

/** Records as text, maps as their entries: a state to compare before and after. */
const stateOf = (records: unknown) =>
  JSON.stringify(records, (_key, value: unknown) => (value instanceof Map ? [...value.entries()] : value));

/** Every record and event. */
const snapshot = () => {
  const { invitations, devices, acceptances, tokens, audit } = deps.tables;
  return stateOf({ invitations, devices, acceptances, tokens, audit });
};

const removalTtl = (expiresAt: string, days: number) => Date.parse(expiresAt) / 1000 + days * DAY_SECONDS;

describe('expired cleanup on in-memory ports', () => {
  test('marks expired invitations, revokes their devices, audits it and schedules their removal; once', async () => {
    const expiring = await issue('expiring', 1);
    const accepted = await acceptInvitation(
      deps,
      { encoded: expiring.encoded, device: { deviceId: 'device-accepted', hostname: 'laptop', username: 'alice' } },
      AS_ADMIN,
    );
    await register(expiring.invitation.id, 'device-second');
    const suspended = await issue('suspended', 1);
    await register(suspended.invitation.id, 'device-suspended');
    await revokeAllDevices(deps, suspended.invitation.id, 'lost laptop', true, AS_ADMIN);
    const revoked = await issue('revoked', 1);
    await register(revoked.invitation.id, 'device-revoked');
    await revokeInvitation(deps, revoked.invitation.id, 'left', false, AS_ADMIN);
    const plain = await Promise.all(Array.from({ length: 6 }, (_, n) => issue(`plain-${n}`, 1)));
    const live = await issue('live', 30);
    await register(live.invitation.id, 'device-live');

    deps.clock.now = CLEANUP;
    const liveState = () =>
      stateOf([deps.tables.invitations.get(live.invitation.id), deps.tables.devices.get(live.invitation.id)]);
    const liveBefore = liveState();
    expect(await validateRegistration(deps, expiring.token, 'device-second')).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });

    const first = await run({ concurrency: 2 });
    expect(first.summary).toEqual({ invitationsExpired: 8, devicesRevoked: 2, removalsScheduled: 9, batchesFailed: 0 });
    expect(first.progress).toEqual({ processed: 9, succeeded: 9, failed: 0 });

    // Marked expired with the stored status kept; devices revoked by the system.
    const marked = (await deps.store.getInvitation(expiring.invitation.id))!.value;
    expect(marked).toMatchObject({ status: 'active', expiredMarkedAt: '2026-11-23T08:00:00Z', activeDevices: 0 });
    expect(await deps.store.listDevices(expiring.invitation.id)).toEqual([
      expect.objectContaining({
        deviceId: 'device-accepted',
        status: 'revoked',
        revokedBy: SYSTEM,
        revokeReason: 'invitation expired',
      }),
      expect.objectContaining({ deviceId: 'device-second', status: 'revoked', revokedBy: SYSTEM }),
    ]);
    expect((await deps.store.getInvitation(suspended.invitation.id))!.value).toMatchObject({
      status: 'suspended',
      revokeReason: 'lost laptop',
      expiredMarkedAt: '2026-11-23T08:00:00Z',
    });
    const stillRevoked = (await deps.store.getInvitation(revoked.invitation.id))!.value;
    expect(stillRevoked.status).toBe('revoked');
    expect(stillRevoked.expiredMarkedAt).toBeUndefined();

    // One event per marked invitation, by the system, with no secret; none for the revoked one.
    const expiredEvents = async (id: string) =>
      (await deps.auditLog.ofTarget(id)).filter((event) => event.action === 'invitation.expired');
    const [event] = await expiredEvents(expiring.invitation.id);
    expect(await expiredEvents(expiring.invitation.id)).toHaveLength(1);
    expect(event).toMatchObject({
      actor: SYSTEM,
      at: '2026-11-23T08:00:00Z',
      details: {
        expiresAt: '2026-11-22T08:00:00Z',
        removeAfter: '2027-02-20T08:00:00Z',
        jobId: expect.any(String),
      },
    });
    expect([...(event!.details.devicesRevoked as string[])].sort()).toEqual(['device-accepted', 'device-second']);
    expect(JSON.stringify(event)).not.toContain(expiring.token);
    expect((await expiredEvents(suspended.invitation.id))[0]!.details.devicesRevoked).toEqual([]);
    expect(await expiredEvents(revoked.invitation.id)).toEqual([]);

    // Removal scheduled on every item of theirs: record, devices, acceptance, token lookup.
    for (const { invitation, token } of [expiring, suspended, revoked, ...plain]) {
      const ttl = removalTtl(invitation.expiresAt, 90);
      const items = partitionTtls(invitation.id);
      expect(items.map((item) => item.ttl)).toEqual(items.map(() => ttl));
      expect(tokenTtl(token)).toBe(ttl);
    }
    expect(partitionTtls(expiring.invitation.id).map((item) => item.kind)).toEqual(['ACC#', 'DEV#', 'DEV#', 'INV']);

    // The live invitation is untouched.
    expect(liveState()).toBe(liveBefore);
    expect(tokenTtl(live.token)).toBeUndefined();

    // A second run finds nothing to do and changes nothing, not even the audit log.
    const before = snapshot();
    const second = await run();
    expect(second.summary).toEqual({
      invitationsExpired: 0,
      devicesRevoked: 0,
      removalsScheduled: 0,
      batchesFailed: 0,
    });
    expect(snapshot()).toBe(before);

    // Expired stays unusable: no validation, acceptance, registration or rotation.
    expect(await validateRegistration(deps, expiring.token, 'device-second')).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });
    await expect(acceptInvitation(deps, { encoded: expiring.encoded }, AS_ADMIN)).rejects.toMatchObject({
      code: 'invitation_expired',
    });
    await expect(register(expiring.invitation.id, 'device-new')).rejects.toMatchObject({
      code: 'invitation_expired',
    });
    await expect(rotateInvitation(deps, suspended.invitation.id, AS_ADMIN)).rejects.toMatchObject({
      code: 'invitation_expired',
    });
    expect(await validateRegistration(deps, live.token, 'device-live')).toEqual({ valid: true });
    expect(accepted.device?.deviceId).toBe('device-accepted');
  });

  test('an invitation changed while the cleanup planned is re-read: a device registered meanwhile is revoked too', async () => {
    const expiring = await issue('expiring', 1);
    await register(expiring.invitation.id, 'device-first');
    // Only the test's own writes reach an expired invitation: here, a device added behind the cleanup's back.
    deps.clock.now = CLEANUP;
    const hold = deps.tables.interleaving.hold('closeExpired');
    const cleaning = run();
    await hold.reached();
    const read = (await deps.store.getInvitation(expiring.invitation.id))!;
    const device = deviceOf(expiring.invitation.id, 'device-sneaked');
    await deps.store.addDevice(read, device, false, eventOf(device.deviceId), [], '2026-11-21T09:00:00Z');
    hold.release();
    expect((await cleaning).summary).toMatchObject({ invitationsExpired: 1, devicesRevoked: 2 });
    expect((await deps.store.listDevices(expiring.invitation.id)).map((d) => d.status)).toEqual(['revoked', 'revoked']);
    expect((await deps.store.getInvitation(expiring.invitation.id))!.value.activeDevices).toBe(0);
  });

  test('keeps expired data for the configured retention', async () => {
    deps.clock.now = CLEANUP;
    const { invitation, token } = await issue('short retention', 2);
    deps.clock.now = addDays(CLEANUP, 3);
    process.env[ENV.retentionDays] = '30';

    expect((await run()).summary).toMatchObject({ invitationsExpired: 1, removalsScheduled: 1 });
    const ttl = removalTtl(invitation.expiresAt, 30);
    expect(partitionTtls(invitation.id).map((item) => item.ttl)).toEqual([ttl]);
    expect(tokenTtl(token)).toBe(ttl);
  });
});
