import type { AuditEvent } from '../domain/audit';
import type { Spending } from '../domain/delegation';
import type { Delivery, MailMessage } from '../domain/delivery';
import type { Device, DeviceRefresh, ReportedDevice, Revocation } from '../domain/device';
import type { Invitation } from '../domain/invitation';
import type { Ancestor } from '../domain/lineage';
import type { Page, Versioned } from '../ports/common';
import type {
  AcceptanceRecord,
  DeviceRevocationOptions,
  Expiry,
  IdempotencyRecord,
  InvitationFilter,
  InvitationRepository,
  Lineage,
} from '../ports/invitations';
import { INDEX_SHARDS } from '../config';
import { auditPut } from './audit-items';
import type { QueryInput } from './aws/documents';
import { documents } from './clients';
import { guarded, landed, transactWrite } from './conditional-writes';
import { decodeCursor, encodeCursor } from '../ports/cursor';
import { shardedPage } from './sharded-query';
import { getItems } from './batch-get';
import {
  DEVICE_PREFIX,
  deviceItem,
  fromItem,
  invitationCreation,
  invitationFromItem,
  keys,
  shardKey,
  spendAllowance,
  stillUsable,
  tokenItem,
} from './items';

type Item = Record<string, unknown>;
type Key = Record<string, unknown>;

/** What a version-conditional update of an invitation changes besides its version. */
interface VersionedChange {
  set: string;
  remove?: string;
  values: Record<string, unknown>;
  names?: Record<string, string>;
}

const SCAN_PAGES_PER_REQUEST = 10;
/** Items of an invitation's partition given their removal time at once. */
const DEPENDENTS_PER_PAGE = 100;

/** DynamoDB TTL counts in epoch seconds. */
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * The registry's DynamoDB adapter. Reads are strongly consistent; every write that depends on state
 * is conditional on exactly the state it was planned from, so concurrent writers can never break an
 * invariant: the loser gets `StaleState`, reads again and re-plans (see `usecases/optimistic.ts`).
 * Every change appends its audit event in the same transaction: both land, or neither.
 */
export class RegistryStore implements InvitationRepository {
  constructor(
    private readonly tableName: string,
    /** Read when an event is written: functions that only read never need the audit table. */
    private readonly auditTableName: () => string,
  ) {}

  async getInvitation(id: string): Promise<Versioned<Invitation> | undefined> {
    const { Item } = await documents().get({
      TableName: this.tableName,
      Key: keys.invitation(id),
      ConsistentRead: true,
    });
    return Item && { value: invitationFromItem(Item), version: Item.version as number };
  }

  /**
   * The invitation a token hash belongs to, its ancestors and optionally one device: the token item names
   * the ancestors, so everything else is one BatchGetItem (two round trips in all).
   */
  async lineageForToken(tokenHash: string, deviceId?: string): Promise<Lineage | undefined> {
    const { Item } = await documents().get({
      TableName: this.tableName,
      Key: keys.token(tokenHash),
      ConsistentRead: true,
    });
    if (!Item) return undefined;
    return this.readLineage(Item.invitationId as string, Item.ancestors as string[] | undefined, deviceId);
  }

  /** An invitation by id, its ancestors and optionally one device. */
  lineage(invitationId: string, deviceId?: string): Promise<Lineage | undefined> {
    return this.readLineage(invitationId, undefined, deviceId);
  }

  private async readLineage(id: string, knownAncestors: string[] | undefined, deviceId?: string) {
    const wanted = [
      keys.invitation(id),
      ...(deviceId === undefined ? [] : [keys.device(id, deviceId)]),
      ...(knownAncestors ?? []).map(keys.invitation),
    ];
    const found = new Map((await getItems(this.tableName, wanted)).map((item) => [`${item.pk}|${item.sk}`, item]));
    const at = (key: { pk: string; sk: string }) => found.get(`${key.pk}|${key.sk}`);
    const item = at(keys.invitation(id));
    if (!item) return undefined;
    const invitation = invitationFromItem(item);
    const deviceItemFound = deviceId === undefined ? undefined : at(keys.device(id, deviceId));
    const ancestors =
      knownAncestors !== undefined
        ? knownAncestors.map((ancestorId) => ancestorFrom(ancestorId, at(keys.invitation(ancestorId))))
        : await this.ancestorsOf(invitation);
    return {
      invitation: { value: invitation, version: item.version as number },
      ancestors,
      ...(deviceItemFound && { device: fromItem<Device>(deviceItemFound) }),
    };
  }

  /**
   * The ancestors of an invitation, parent first. One written before ancestors were recorded has only its
   * `parentId`: its chain is followed one parent at a time.
   */
  async ancestorsOf(invitation: Pick<Invitation, 'ancestors' | 'parentId'>): Promise<Ancestor[]> {
    if (invitation.ancestors) {
      const ids = invitation.ancestors;
      const found = new Map(
        (await getItems(this.tableName, ids.map(keys.invitation))).map((item) => [item.id as string, item]),
      );
      return ids.map((id) => ancestorFrom(id, found.get(id)));
    }
    const chain: Ancestor[] = [];
    for (let parentId = invitation.parentId; parentId !== undefined && chain.length < LEGACY_DEPTH_LIMIT;) {
      const parent = await this.getInvitation(parentId);
      chain.push({ id: parentId, ...(parent && { invitation: parent.value }) });
      parentId = parent?.value.parentId;
    }
    return chain;
  }

  async invitationIdForToken(tokenHash: string): Promise<string | undefined> {
    const { Item } = await documents().get({
      TableName: this.tableName,
      Key: keys.token(tokenHash),
      ConsistentRead: true,
    });
    return Item?.invitationId as string | undefined;
  }

  async getDevice(invitationId: string, deviceId: string): Promise<Device | undefined> {
    const { Item } = await documents().get({
      TableName: this.tableName,
      Key: keys.device(invitationId, deviceId),
      ConsistentRead: true,
    });
    return Item && fromItem<Device>(Item);
  }

  async listDevices(invitationId: string): Promise<Device[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.invitation(invitationId).pk, ':prefix': DEVICE_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => fromItem<Device>(item));
  }

  /**
   * Creates an invitation with its token lookup item, atomically; under a parent, spending one unit of the
   * parent's and every ancestor's allowance, only while each is still usable (and the parent may invite);
   * with an idempotency record, only once per key.
   */
  async createInvitation(
    invitation: Invitation,
    audit: AuditEvent,
    options: { spending?: Spending; idempotency?: IdempotencyRecord } = {},
  ): Promise<void> {
    const items = [...invitationCreation(this.tableName, invitation), auditPut(this.auditTableName(), audit)];
    if (options.spending) items.push(...spendAllowance(this.tableName, options.spending.spends, options.spending.at));
    if (options.idempotency) {
      const { scopeHash, requestHash, invitationId, expiresAtEpoch, notes } = options.idempotency;
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(scopeHash),
            entity: 'idempotency',
            requestHash,
            invitationId,
            notes,
            ttl: expiresAtEpoch,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    await transactWrite(items, 'invitation creation');
  }

  async findIdempotency(scopeHash: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await documents().get({
      TableName: this.tableName,
      Key: keys.idempotency(scopeHash),
      ConsistentRead: true,
    });
    if (!Item || (Item.ttl as number) * 1000 < Date.now()) return undefined;
    return {
      scopeHash,
      requestHash: Item.requestHash as string,
      invitationId: Item.invitationId as string,
      expiresAtEpoch: Item.ttl as number,
      notes: Item.notes as string[],
    };
  }

  /**
   * Adds a device and counts it, provided the invitation is unchanged since it was read and every ancestor
   * is still usable at `at`: a registration cannot land after an ancestor's revocation has. With `acceptance`,
   * records it in the same transaction (the version condition holds the invitation itself).
   */
  async addDevice(
    invitation: Versioned<Invitation>,
    device: Device,
    bindUsername: boolean,
    audit: AuditEvent,
    ancestorIds: readonly string[],
    at: string,
    acceptance?: AcceptanceRecord,
  ): Promise<void> {
    await transactWrite(
      [
        ...stillUsable(this.tableName, ancestorIds, at),
        this.versionedUpdate(invitation, {
          set: `activeDevices = activeDevices + :one${bindUsername ? ', boundUsername = :user' : ''}`,
          values: bindUsername ? { ':user': device.username } : {},
        }),
        {
          Put: { TableName: this.tableName, Item: deviceItem(device), ConditionExpression: 'attribute_not_exists(pk)' },
        },
        auditPut(this.auditTableName(), audit),
        ...(acceptance ? this.acceptancePuts(invitation.value.id, acceptance) : []),
      ],
      acceptance ? 'device registration and acceptance' : 'device registration',
    );
  }

  /**
   * Moves `lastSeenAt` (and refreshes what the device reports) while the device is active. Not audited:
   * it is how often a device checks in, not a change of who may do what.
   */
  async touchDevice(
    invitationId: string,
    deviceId: string,
    seenAt: string,
    reported: ReportedDevice = {},
  ): Promise<Device> {
    const result = await guarded('device refresh', () =>
      documents().update({
        ...this.deviceRefresh(invitationId, { deviceId, seenAt, reported }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem<Device>(result.Attributes as Item);
  }

  /** Moves `lastSeenAt` from the value read to `seenAt` while the device is active; `false` when either changed. */
  recordSeen(device: Pick<Device, 'invitationId' | 'deviceId' | 'lastSeenAt'>, seenAt: string): Promise<boolean> {
    return landed('device seen', () =>
      documents().update({
        TableName: this.tableName,
        Key: keys.device(device.invitationId, device.deviceId),
        UpdateExpression: 'SET lastSeenAt = :seen',
        ConditionExpression: '#status = :active AND lastSeenAt = :read',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':seen': seenAt, ':active': 'active', ':read': device.lastSeenAt },
      }),
    );
  }

  /** The update that refreshes an active device: its `lastSeenAt` and what it reports. */
  private deviceRefresh(invitationId: string, { deviceId, seenAt, reported }: DeviceRefresh) {
    const assignments = ['lastSeenAt = :seen'];
    const values: Record<string, unknown> = { ':seen': seenAt, ':active': 'active' };
    for (const [field, value] of Object.entries(reported)) {
      if (value === undefined) continue;
      assignments.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
    return {
      TableName: this.tableName,
      Key: keys.device(invitationId, deviceId),
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    };
  }

  /**
   * Revokes the given active devices and sets the invitation's count to zero, optionally moving the
   * invitation to `suspended` or `revoked` with the same revocation details, all in one transaction.
   */
  async revokeDevices(
    invitation: Versioned<Invitation>,
    devices: Device[],
    revocation: Revocation,
    audit: AuditEvent,
    { invitationStatus, unseenSince }: DeviceRevocationOptions = {},
  ): Promise<void> {
    const remaining = invitation.value.activeDevices - devices.length;
    const values: Record<string, unknown> = { ':remaining': remaining };
    let set = 'activeDevices = :remaining';
    let remove: string | undefined;
    if (invitationStatus) {
      set += ', #status = :newStatus, revokedAt = :at, revokedBy = :by';
      Object.assign(values, { ':newStatus': invitationStatus, ':at': revocation.at, ':by': revocation.by });
      if (revocation.reason !== undefined) {
        set += ', revokeReason = :reason';
        values[':reason'] = revocation.reason;
      } else {
        remove = 'revokeReason';
      }
    }
    const items: Item[] = [
      this.versionedUpdate(invitation, {
        set,
        remove,
        values,
        ...(invitationStatus && { names: { '#status': 'status' } }),
      }),
      ...devices.map((device) => ({ Update: this.deviceRevocation(device, revocation, unseenSince) })),
      auditPut(this.auditTableName(), audit),
    ];
    await transactWrite(items, 'device revocation');
  }

  recordExpiryReminder(invitationId: string, at: string, audit: AuditEvent, delivery?: Delivery): Promise<boolean> {
    const announcement = {
      Update: {
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: `SET expiryRemindedAt = :at${delivery ? ', delivery = :delivery' : ''}`,
        ConditionExpression: '#status = :active AND attribute_not_exists(expiryRemindedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': at, ':active': 'active', ...(delivery && { ':delivery': delivery }) },
      },
    };
    return landed('expiry reminder', () =>
      transactWrite([announcement, auditPut(this.auditTableName(), audit)], 'expiry reminder'),
    );
  }

  claimDelivery(invitationId: string, message: MailMessage, at: string, staleBefore: string): Promise<boolean> {
    return landed('delivery claim', () =>
      documents().update({
        TableName: this.tableName,
        Key: keys.invitation(invitationId),
        UpdateExpression: 'SET delivery.claimedAt = :at',
        ConditionExpression:
          'delivery.#status = :queued AND delivery.kind = :kind AND delivery.tokenGeneration = :generation AND ' +
          '(attribute_not_exists(delivery.claimedAt) OR delivery.claimedAt < :stale)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':at': at,
          ':queued': 'queued',
          ':kind': message.kind,
          ':generation': message.tokenGeneration,
          ':stale': staleBefore,
        },
      }),
    );
  }

  recordDelivery(
    invitationId: string,
    delivery: Delivery,
    audit?: AuditEvent,
    onlyIf?: { messageId: string },
  ): Promise<boolean> {
    const update = {
      TableName: this.tableName,
      Key: keys.invitation(invitationId),
      UpdateExpression: 'SET delivery = :delivery',
      ConditionExpression: onlyIf ? 'delivery.messageId = :messageId' : 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':delivery': delivery, ...(onlyIf && { ':messageId': onlyIf.messageId }) },
    };
    return landed('delivery status', () =>
      audit
        ? transactWrite([{ Update: update }, auditPut(this.auditTableName(), audit)], 'delivery status')
        : documents().update(update),
    );
  }

  /** Gives the invitation a new token: the old lookup item goes, the new one arrives, status back to active. */
  async rotateToken(
    invitation: Versioned<Invitation>,
    next: Pick<Invitation, 'tokenGeneration' | 'keyId' | 'tokenHint' | 'tokenHash' | 'delivery'>,
    oldTokenHash: string,
    audit: AuditEvent,
  ): Promise<void> {
    const id = invitation.value.id;
    await transactWrite(
      [
        this.versionedUpdate(invitation, {
          set:
            'tokenGeneration = :generation, keyId = :kid, tokenHint = :hint, tokenHash = :hash, #status = :active' +
            (next.delivery ? ', delivery = :delivery' : ''),
          remove: 'revokedAt, revokedBy, revokeReason',
          names: { '#status': 'status' },
          values: {
            ':generation': next.tokenGeneration,
            ':kid': next.keyId,
            ':hint': next.tokenHint,
            ':hash': next.tokenHash,
            ':active': 'active',
            ...(next.delivery && { ':delivery': next.delivery }),
          },
        }),
        { Delete: { TableName: this.tableName, Key: keys.token(oldTokenHash) } },
        {
          Put: {
            TableName: this.tableName,
            Item: tokenItem({ id, tokenHash: next.tokenHash, ancestors: invitation.value.ancestors }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(this.auditTableName(), audit),
      ],
      'token rotation',
    );
  }

  /**
   * Records an acceptance, provided the invitation and every ancestor (`usable.ids`) are still usable at `at`;
   * with `refresh`, refreshes that active device in the same transaction.
   */
  async recordAcceptance(
    invitationId: string,
    acceptance: AcceptanceRecord,
    usable: { ids: readonly string[]; at: string },
    refresh?: DeviceRefresh,
  ): Promise<void> {
    await transactWrite(
      [
        ...stillUsable(this.tableName, usable.ids, usable.at),
        ...(refresh ? [{ Update: this.deviceRefresh(invitationId, refresh) }] : []),
        ...this.acceptancePuts(invitationId, acceptance),
      ],
      'acceptance',
    );
  }

  /** The acceptance's record and its event. */
  private acceptancePuts(invitationId: string, { acceptanceId, details, audit }: AcceptanceRecord): Item[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.acceptance(invitationId, acceptanceId), entity: 'acceptance', invitationId, ...details },
        },
      },
      auditPut(this.auditTableName(), audit),
    ];
  }

  /**
   * Schedules the removal (DynamoDB TTL) of everything an invitation holds besides its own record: the
   * items of its partition (devices, acceptances) and its token lookup item. Not audited: it is keeping
   * data for the retention, not a change of who may do what.
   */
  async scheduleDependentsRemoval(invitation: Invitation, removeAfter: Date): Promise<void> {
    const own = keys.invitation(invitation.id);
    let lastKey: Key | undefined;
    do {
      const page = await documents().query({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': own.pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: DEPENDENTS_PER_PAGE,
        ExclusiveStartKey: lastKey,
      });
      const dependents = (page.Items ?? []).filter((item) => item.sk !== own.sk);
      await Promise.all(dependents.map(({ pk, sk }) => this.setRemovalTime({ pk, sk }, removeAfter)));
      lastKey = page.LastEvaluatedKey;
    } while (lastKey);
    await this.setRemovalTime(keys.token(invitation.tokenHash), removeAfter);
  }

  /**
   * Schedules an expired invitation's own removal, provided it is unchanged since it was read; with
   * `expiry`, in the same transaction, marks it expired (`expiredMarkedAt`, the stored status kept),
   * revokes its active devices and appends the event. Its `ttl` is what takes it off the cleanup's list.
   */
  async closeExpired(invitation: Versioned<Invitation>, removeAfter: Date, expiry?: Expiry): Promise<void> {
    const values: Record<string, unknown> = { ':ttl': epochSeconds(removeAfter) };
    let set = '#ttl = :ttl';
    if (expiry) {
      set += ', expiredMarkedAt = :at, activeDevices = :remaining';
      values[':at'] = expiry.revocation.at;
      values[':remaining'] = invitation.value.activeDevices - expiry.devices.length;
    }
    const items: Item[] = [this.versionedUpdate(invitation, { set, values, names: { '#ttl': 'ttl' } })];
    if (expiry) {
      items.push(
        ...expiry.devices.map((device) => ({ Update: this.deviceRevocation(device, expiry.revocation) })),
        auditPut(this.auditTableName(), expiry.audit),
      );
    }
    await transactWrite(items, 'expiry');
  }

  /**
   * A transaction item changing the invitation only if it is unchanged since it was read (same `version`), and
   * moving its version on: `set` and `remove` are the rest of the update, with their values and names.
   */
  private versionedUpdate(invitation: Versioned<Invitation>, { set, remove, values, names }: VersionedChange): Item {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.invitation(invitation.value.id),
        UpdateExpression: `SET ${set}, version = version + :one${remove ? ` REMOVE ${remove}` : ''}`,
        ConditionExpression: 'version = :v',
        ...(names && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: { ...values, ':one': 1, ':v': invitation.version },
      },
    };
  }

  /** Ids of an invitation's direct children, read from every shard of the parent index. */
  async childIds(parentId: string): Promise<string[]> {
    const shards = await Promise.all(
      Array.from({ length: INDEX_SHARDS }, (_, shard) =>
        this.queryAll({
          IndexName: 'byParent',
          KeyConditionExpression: 'parentShard = :shard',
          ExpressionAttributeValues: { ':shard': shardKey(parentId, shard) },
          ProjectionExpression: 'id',
        }),
      ),
    );
    return shards.flat().map((item) => item.id as string);
  }

  /**
   * Up to `limit` ids of an invitation's direct children, in id order, after `after` (from the first when
   * undefined): each shard of the parent index is read from `after` on and the shards merged, so a walk can
   * page through any number of children holding nothing but the last id it took.
   */
  async childIdsAfter(parentId: string, after: string | undefined, limit: number): Promise<string[]> {
    const page = await shardedPage(
      this.tableName,
      Array.from({ length: INDEX_SHARDS }, (_, shard) => ({
        IndexName: 'byParent',
        KeyConditionExpression: `parentShard = :shard${after === undefined ? '' : ' AND id > :after'}`,
        ExpressionAttributeValues: {
          ':shard': shardKey(parentId, shard),
          ...(after !== undefined && { ':after': after }),
        },
        ProjectionExpression: 'pk, sk, parentShard, id',
      })),
      { limit, sortKey: 'id', keyOf: ({ pk, sk, parentShard, id }) => ({ pk, sk, parentShard, id }) },
    );
    return page.items.map((item) => item.id as string);
  }

  /**
   * Lists invitations. Under a parent or a batch it reads that owner's index shards and merges them
   * in id (creation) order; otherwise it scans, at most SCAN_PAGES_PER_REQUEST pages per call.
   */
  async listInvitations(
    filter: InvitationFilter,
    limit: number,
    cursor: string | undefined,
    now: string,
  ): Promise<Page<Invitation>> {
    const conditions = this.filterConditions(filter, now);
    if (filter.parentId)
      return this.listFromIndex('byParent', 'parentShard', filter.parentId, conditions, limit, cursor);
    if (filter.batchId) return this.listFromIndex('byBatch', 'batchShard', filter.batchId, conditions, limit, cursor);
    return this.scanInvitations(conditions, limit, cursor);
  }

  private filterConditions(filter: InvitationFilter, now: string): Conditions {
    const conditions = new Conditions();
    conditions.add('entity = :entity', { ':entity': 'invitation' });
    if (filter.roots) conditions.add('attribute_not_exists(parentId)', {});
    if (filter.type) conditions.add('#type = :type', { ':type': filter.type }, { '#type': 'type' });
    if (filter.namePrefix)
      conditions.add('begins_with(#name, :name)', { ':name': filter.namePrefix }, { '#name': 'name' });
    if (filter.status === 'expired') {
      conditions.add('expiresAt <= :now', { ':now': now });
    } else if (filter.status) {
      conditions.add(
        '#status = :status AND expiresAt > :now',
        { ':status': filter.status, ':now': now },
        { '#status': 'status' },
      );
    }
    return conditions;
  }

  private async scanInvitations(conditions: Conditions, limit: number, cursor?: string): Promise<Page<Invitation>> {
    let startKey = decodeCursor(cursor, isKey);
    const items: Item[] = [];
    for (let page = 0; page < SCAN_PAGES_PER_REQUEST && items.length < limit; page++) {
      const result = await documents().scan({
        TableName: this.tableName,
        ExclusiveStartKey: startKey,
        Limit: 1000,
        ...conditions.expression(),
      });
      startKey = result.LastEvaluatedKey;
      for (const item of result.Items ?? []) {
        if (items.length === limit) {
          startKey = { pk: items[items.length - 1]!.pk, sk: items[items.length - 1]!.sk };
          break;
        }
        items.push(item);
      }
      if (!startKey) break;
    }
    return {
      items: items.map(invitationFromItem),
      ...(startKey && { cursor: encodeCursor(startKey) }),
    };
  }

  private async listFromIndex(
    indexName: 'byParent' | 'byBatch',
    shardAttribute: string,
    ownerId: string,
    conditions: Conditions,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<Invitation>> {
    const sortKey = INDEX_SORT_KEYS[indexName];
    const page = await shardedPage(
      this.tableName,
      Array.from({ length: INDEX_SHARDS }, (_, shard) => ({
        IndexName: indexName,
        KeyConditionExpression: `${shardAttribute} = :owner`,
        ...conditions.expression({ ':owner': shardKey(ownerId, shard) }),
      })),
      {
        limit,
        cursor,
        sortKey,
        keyOf: (item) => ({
          pk: item.pk,
          sk: item.sk,
          [shardAttribute]: item[shardAttribute],
          [sortKey]: item[sortKey],
        }),
      },
    );
    return { items: page.items.map(invitationFromItem), ...(page.cursor && { cursor: page.cursor }) };
  }

  private async queryAll(input: Omit<QueryInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let lastKey: Key | undefined;
    do {
      const result = await documents().query({ TableName: this.tableName, ...input, ExclusiveStartKey: lastKey });
      items.push(...(result.Items ?? []));
      lastKey = result.LastEvaluatedKey;
    } while (lastKey);
    return items;
  }

  /** Sets an existing item's `ttl`; an item gone meanwhile (a rotated-away token) is left gone. */
  private async setRemovalTime(key: Key, removeAfter: Date): Promise<void> {
    await landed('removal schedule', () =>
      documents().update({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':ttl': epochSeconds(removeAfter) },
      }),
    );
  }

  private deviceRevocation(device: Device, revocation: Revocation, unseenSince?: string) {
    return {
      TableName: this.tableName,
      Key: keys.device(device.invitationId, device.deviceId),
      UpdateExpression: `SET #status = :revoked, revokedAt = :at, revokedBy = :by${revocation.reason === undefined ? '' : ', revokeReason = :reason'}`,
      ConditionExpression: `#status = :active${unseenSince === undefined ? '' : ' AND lastSeenAt < :unseenSince'}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':revoked': 'revoked',
        ':active': 'active',
        ':at': revocation.at,
        ':by': revocation.by,
        ...(revocation.reason !== undefined && { ':reason': revocation.reason }),
        ...(unseenSince !== undefined && { ':unseenSince': unseenSince }),
      },
    };
  }
}

/** AND-ed filter expression fragments with their placeholder values and names. */
class Conditions {
  private readonly parts: string[] = [];
  private readonly values: Record<string, unknown> = {};
  private readonly names: Record<string, string> = {};

  add(part: string, values: Record<string, unknown>, names: Record<string, string> = {}) {
    this.parts.push(part);
    Object.assign(this.values, values);
    Object.assign(this.names, names);
  }

  expression(keyValues: Record<string, unknown> = {}) {
    return {
      FilterExpression: this.parts.join(' AND '),
      ExpressionAttributeValues: { ...this.values, ...keyValues },
      ...(Object.keys(this.names).length > 0 && { ExpressionAttributeNames: this.names }),
    };
  }
}

/** A guard on following `parentId` for an invitation recorded before ancestors were: no chain is this deep. */
const LEGACY_DEPTH_LIMIT = 64;

const ancestorFrom = (id: string, item: Item | undefined): Ancestor => ({
  id,
  ...(item && { invitation: invitationFromItem(item) }),
});

const isKey = (value: unknown): value is Key => typeof value === 'object' && value !== null && !Array.isArray(value);

const INDEX_SORT_KEYS = { byParent: 'id', byBatch: 'batchRow' } as const;
