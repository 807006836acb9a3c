import type { Spend } from '../domain/delegation';
import type { Device } from '../domain/device';
import type { Invitation } from '../domain/invitation';
import { config, INDEX_SHARDS, PARTITIONS } from '../config';

/**
 * Item layout of the registry table (one table, `pk`/`sk`):
 * - invitation: `INV#<id>` / `INV`, with `parentShard`/`batchShard` for the sharded indexes
 * - device: `INV#<id>` / `DEV#<deviceId>` (an invitation and its devices share a partition)
 * - token lookup: `TOKEN#<sha256 of token>` / `TOKEN` → invitationId and its `ancestors`, so one read of the
 *   token tells which records a decision needs (strongly consistent)
 * - acceptance: `INV#<id>` / `ACC#<ulid>`
 * - idempotency record: `IDEMP#<hash of principal + key>` / `IDEMP`, expires through TTL
 */
export const keys = {
  invitation: (id: string) => ({ pk: `${PARTITIONS.invitation}${id}`, sk: 'INV' }),
  device: (invitationId: string, deviceId: string) => ({
    pk: `${PARTITIONS.invitation}${invitationId}`,
    sk: `DEV#${deviceId}`,
  }),
  token: (tokenHash: string) => ({ pk: `${PARTITIONS.token}${tokenHash}`, sk: 'TOKEN' }),
  acceptance: (invitationId: string, acceptanceId: string) => ({
    pk: `${PARTITIONS.invitation}${invitationId}`,
    sk: `ACC#${acceptanceId}`,
  }),
  idempotency: (scopeHash: string) => ({ pk: `${PARTITIONS.idempotency}${scopeHash}`, sk: 'IDEMP' }),
};

export const DEVICE_PREFIX = 'DEV#';

/** Spreads one parent's or batch's children over INDEX_SHARDS index partitions, by the id's last character. */
export const shardOf = (id: string): number => id.charCodeAt(id.length - 1) % INDEX_SHARDS;
export const shardKey = (ownerId: string, shard: number): string => `${ownerId}#${shard}`;

const INTERNAL = ['pk', 'sk', 'entity', 'parentShard', 'batchShard', 'ttl', 'version'] as const;

/** `version` counts the invitation's writes: every change is conditional on the version it read. */
export function invitationItem(invitation: Invitation, version: number): Record<string, unknown> {
  return {
    ...keys.invitation(invitation.id),
    entity: 'invitation',
    version,
    ...invitation,
    ...(invitation.parentId && { parentShard: shardKey(invitation.parentId, shardOf(invitation.id)) }),
    ...(invitation.batchId && { batchShard: shardKey(invitation.batchId, shardOf(invitation.id)) }),
  };
}

export function deviceItem(device: Device): Record<string, unknown> {
  return { ...keys.device(device.invitationId, device.deviceId), entity: 'device', ...device };
}

export function fromItem<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of INTERNAL) delete copy[attribute];
  return copy as T;
}

/**
 * An invitation record. One written before delegation was bounded has no allowance fields: it gets the
 * stack's default allowance, none of it spent yet.
 */
export function invitationFromItem(item: Record<string, unknown>): Invitation {
  const invitation = fromItem<Invitation>(item);
  invitation.maxDescendants ??= config.defaultMaxDescendants();
  invitation.descendantsCreated ??= 0;
  return invitation;
}

/** The token lookup item: which invitation a token hash belongs to, and that invitation's ancestors. */
export const tokenItem = (invitation: Pick<Invitation, 'id' | 'tokenHash' | 'ancestors'>) => ({
  ...keys.token(invitation.tokenHash),
  entity: 'token',
  invitationId: invitation.id,
  ...(invitation.ancestors && { ancestors: invitation.ancestors }),
});

const NOT_EXISTS = 'attribute_not_exists(pk)';

/** The two puts that create an invitation: its record and its token lookup item, each only if new. */
export function invitationCreation(tableName: string, invitation: Invitation): Record<string, unknown>[] {
  return [
    { Put: { TableName: tableName, Item: invitationItem(invitation, 1), ConditionExpression: NOT_EXISTS } },
    { Put: { TableName: tableName, Item: tokenItem(invitation), ConditionExpression: NOT_EXISTS } },
  ];
}

const USABLE = '#status = :active AND expiresAt > :now';

/** Holds a transaction to a parent that is still active, unexpired and allowed to invite at `at`. */
export function parentStillInvites(tableName: string, parentId: string, at: string): Record<string, unknown> {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: keys.invitation(parentId),
      ConditionExpression: `${USABLE} AND canInvite = :true`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ':true': true, ':now': at },
    },
  };
}

/**
 * Holds a transaction to invitations (an invitation and its ancestors) that are all still active and
 * unexpired at `at` (docs/SPEC.md §3.7): a write planned before a revocation cannot land after it.
 */
export const stillUsable = (tableName: string, ids: readonly string[], at: string): Record<string, unknown>[] =>
  ids.map((id) => ({
    ConditionCheck: {
      TableName: tableName,
      Key: keys.invitation(id),
      ConditionExpression: USABLE,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ':now': at },
    },
  }));

/**
 * Spends units of the parent's and every ancestor's `maxDescendants` (docs/SPEC.md §3.8), each only while that
 * invitation is still usable at `at` and has the units left, so the spend and the creation land together.
 * It leaves `version` alone: spending never conflicts with the invitation's own changes.
 */
export const spendAllowance = (tableName: string, spends: readonly Spend[], at: string): Record<string, unknown>[] =>
  spends.map(({ id, units, maxDescendants, parent }) => ({
    Update: {
      TableName: tableName,
      Key: keys.invitation(id),
      UpdateExpression: 'SET descendantsCreated = if_not_exists(descendantsCreated, :zero) + :units',
      ConditionExpression: `${USABLE}${parent ? ' AND canInvite = :true' : ''} AND (attribute_not_exists(descendantsCreated) OR descendantsCreated <= :ceiling)`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':now': at,
        ':zero': 0,
        ':units': units,
        ':ceiling': maxDescendants - units,
        ...(parent && { ':true': true }),
      },
    },
  }));

/**
 * Gives back `units` of the allowance of each of `ids`: what a batch reserved for rows that created
 * nothing. Only on invitations whose spending is recorded, so a removed record is never re-created.
 */
export const refundAllowance = (tableName: string, ids: readonly string[], units: number): Record<string, unknown>[] =>
  ids.map((id) => ({
    Update: {
      TableName: tableName,
      Key: keys.invitation(id),
      UpdateExpression: 'SET descendantsCreated = descendantsCreated - :units',
      ConditionExpression: 'descendantsCreated >= :units',
      ExpressionAttributeValues: { ':units': units },
    },
  }));
