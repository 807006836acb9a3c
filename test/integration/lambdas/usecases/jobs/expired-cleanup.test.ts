import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../../../../lambdas/adapters/clients';
import { keys } from '../../../../../lambdas/adapters/items';
import { addDays } from '../../../../../lambdas/domain/time';
import { hashToken } from '../../../../../lambdas/domain/tokens';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { registerDevice, revokeAllDevices, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { expiredCleanup } from '../../../../../lambdas/usecases/jobs/expired-cleanup';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { createBatch } from '../../../../../lambdas/usecases/batch/opening';
import { ENV } from '../../../../../system/resources';
import { AS_ADMIN } from '../../../../support/deps';
import { isolatedDeps } from '../../../../support/deps';
import { scheduledRun } from '../../../../support/job-runs';

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;
type Item = Record<string, unknown>;

const SYSTEM = 'system:expired-cleanup';
const CREATED = new Date('2026-11-21T08:00:00Z');
/** A day after the one-day invitations expired. */
const CLEANUP = new Date('2026-11-23T08:00:00Z');
const DAY_SECONDS = 86_400;

/** DynamoDB Local takes about 100 ms a transaction. */
jest.setTimeout(30_000);

let deps: Deps;
beforeAll(async () => {
  deps = await isolatedDeps({ now: CREATED });
});
afterEach(() => {
  delete process.env[ENV.retentionDays];
});

const issue = (name: string, validDays: number, maxDevices = 3) =>
  issueInvitation(deps, { name, type: 'read_only', validDays, maxDevices }, { origin: AS_ADMIN }).then(
    ({ issued }) => issued,
  );

async function register(invitationId: string, deviceId: string) {
  const invitation = (await deps.store.lineage(invitationId, deviceId))!;
  return registerDevice(deps, invitation, { deviceId, hostname: 'lab-host', username: 'alice' }, AS_ADMIN);
}

const run = (options: { concurrency?: number } = {}) =>
  expiredCleanup(deps, scheduledRun('expired-cleanup', deps.clock.now.toISOString(), options));

async function partition(invitationId: string): Promise<Item[]> {
  const { Items } = await documents().send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.invitation(invitationId).pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

async function tokenItem(token: string): Promise<Item> {
  const { Item } = await documents().send(
    new GetCommand({ TableName: deps.tableName, Key: keys.token(hashToken(token)), ConsistentRead: true }),
  );
  return Item!;
}

/** Every item of a table, in key order: the whole state, to compare before and after. */
async function snapshot(tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents().send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

const removalTtl = (expiresAt: string, days: number) => Date.parse(expiresAt) / 1000 + days * DAY_SECONDS;

describe('expired cleanup', () => {
  test('marks expired invitations, revokes their devices, audits it and schedules their removal; once', async () => {
    deps.clock.now = CREATED;
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
    const abandoned = await createBatch(deps, {
      source: 'api',
      options: { includeEncoded: false, concurrency: 5, hasHeader: true },
      origin: AS_ADMIN,
    });

    deps.clock.now = CLEANUP;
    const fresh = await createBatch(deps, {
      source: 'api',
      options: { includeEncoded: false, concurrency: 5, hasHeader: true },
      origin: AS_ADMIN,
    });
    const liveBefore = await partition(live.invitation.id);
    expect(await validateRegistration(deps, expiring.token, 'device-second')).toEqual({
      valid: false,
      reason: 'invitation_expired',
    });

    const first = await run({ concurrency: 2 });
    expect(first.summary).toEqual({ invitationsExpired: 8, devicesRevoked: 2, removalsScheduled: 9, batchesFailed: 1 });
    expect(first.progress).toEqual({ processed: 10, succeeded: 10, failed: 0 });

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
      const items = await partition(invitation.id);
      expect(items.map((item) => item.ttl)).toEqual(items.map(() => ttl));
      expect((await tokenItem(token)).ttl).toBe(ttl);
    }
    expect((await partition(expiring.invitation.id)).map((item) => (item.sk as string).slice(0, 4))).toEqual([
      'ACC#',
      'DEV#',
      'DEV#',
      'INV',
    ]);

    // The live invitation is untouched.
    expect(await partition(live.invitation.id)).toEqual(liveBefore);
    expect((await tokenItem(live.token)).ttl).toBeUndefined();

    // Only the batch whose upload URL expired more than a day ago failed.
    expect(await deps.batches.getBatch(abandoned.id)).toMatchObject({
      state: 'failed',
      error: { code: 'upload_never_arrived' },
    });
    expect((await deps.batches.getBatch(fresh.id))!.state).toBe('awaiting_upload');

    // A second run finds nothing to do and changes nothing, not even the audit log.
    const [registryBefore, auditBefore] = await Promise.all([snapshot(deps.tableName), snapshot(deps.auditTableName)]);
    const second = await run();
    expect(second.summary).toEqual({
      invitationsExpired: 0,
      devicesRevoked: 0,
      removalsScheduled: 0,
      batchesFailed: 0,
    });
    expect(await snapshot(deps.tableName)).toEqual(registryBefore);
    expect(await snapshot(deps.auditTableName)).toEqual(auditBefore);

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

  test('keeps expired data for the configured retention', async () => {
    deps.clock.now = CLEANUP;
    const { invitation, token } = await issue('short retention', 2);
    deps.clock.now = addDays(CLEANUP, 3);
    process.env[ENV.retentionDays] = '30';

    expect((await run()).summary).toMatchObject({ invitationsExpired: 1, removalsScheduled: 1 });
    const ttl = removalTtl(invitation.expiresAt, 30);
    expect((await partition(invitation.id)).map((item) => item.ttl)).toEqual([ttl]);
    expect((await tokenItem(token)).ttl).toBe(ttl);
  });
});
