import { documents } from '../../../../../lambdas/adapters/clients';
import { keys } from '../../../../../lambdas/adapters/items';
import { hashToken } from '../../../../../lambdas/domain/tokens';
import { acceptInvitation } from '../../../../../lambdas/usecases/devices/accept';
import { registerDevice } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { expiredCleanup } from '../../../../../lambdas/usecases/jobs/expired-cleanup';
import { createBatch } from '../../../../../lambdas/usecases/batch/opening';
import { AS_ADMIN } from '../../../../support/deps';
import { isolatedDeps } from '../../../../support/deps';
import { scheduledRun } from '../../../../support/job-runs';
import { type Item, scanTable } from '../../../../support/table-scan';

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;

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
  const { Items } = await documents().query({
    TableName: deps.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.invitation(invitationId).pk },
    ConsistentRead: true,
  });
  return Items ?? [];
}

async function tokenItem(token: string): Promise<Item> {
  const { Item } = await documents().get({
    TableName: deps.tableName,
    Key: keys.token(hashToken(token)),
    ConsistentRead: true,
  });
  return Item!;
}

/** Every item of a table, in key order: the whole state, to compare before and after. */
const snapshot = async (tableName: string): Promise<Item[]> =>
  (await scanTable(tableName)).sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));

const removalTtl = (expiresAt: string, days: number) => Date.parse(expiresAt) / 1000 + days * DAY_SECONDS;

/**
 * What the cleanup writes on the wire: the `ttl` DynamoDB removes items by, and the batch store's failed batch. The
 * rules of marking, revoking, auditing and retention are the unit suite's (test/unit/lambdas/usecases/jobs).
 */
describe('expired cleanup against DynamoDB Local', () => {
  test('schedules the removal of every item of an expired invitation and fails only the abandoned upload; once', async () => {
    deps.clock.now = CREATED;
    const expiring = await issue('expiring', 1);
    await acceptInvitation(
      deps,
      { encoded: expiring.encoded, device: { deviceId: 'device-accepted', hostname: 'laptop', username: 'alice' } },
      AS_ADMIN,
    );
    await register(expiring.invitation.id, 'device-second');
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

    const first = await run({ concurrency: 2 });
    expect(first.summary).toEqual({ invitationsExpired: 1, devicesRevoked: 2, removalsScheduled: 1, batchesFailed: 1 });
    expect(first.progress).toEqual({ processed: 2, succeeded: 2, failed: 0 });

    // Removal scheduled on every item of its: record, devices, acceptance, token lookup.
    const ttl = removalTtl(expiring.invitation.expiresAt, 90);
    const items = await partition(expiring.invitation.id);
    expect(items.map((item) => (item.sk as string).slice(0, 4))).toEqual(['ACC#', 'DEV#', 'DEV#', 'INV']);
    expect(items.map((item) => item.ttl)).toEqual(items.map(() => ttl));
    expect((await tokenItem(expiring.token)).ttl).toBe(ttl);

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
  });
});
