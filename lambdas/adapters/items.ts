import type { Device } from '../domain/device';
import type { Invitation } from '../domain/invitation';
import { INDEX_SHARDS } from '../resources';

/**
 * Item layout of the registry table (one table, `pk`/`sk`):
 * - invitation: `INV#<id>` / `INV`, with `parentShard`/`batchShard` for the sharded indexes
 * - device: `INV#<id>` / `DEV#<deviceId>` (an invitation and its devices share a partition)
 * - token lookup: `TOKEN#<sha256 of token>` / `TOKEN` → invitationId (strongly consistent)
 * - acceptance: `INV#<id>` / `ACC#<ulid>`
 * - idempotency record: `IDEMP#<hash of principal + key>` / `IDEMP`, expires through TTL
 */
export const keys = {
  invitation: (id: string) => ({ pk: `INV#${id}`, sk: 'INV' }),
  device: (invitationId: string, deviceId: string) => ({ pk: `INV#${invitationId}`, sk: `DEV#${deviceId}` }),
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  acceptance: (invitationId: string, acceptanceId: string) => ({
    pk: `INV#${invitationId}`,
    sk: `ACC#${acceptanceId}`,
  }),
  idempotency: (scopeHash: string) => ({ pk: `IDEMP#${scopeHash}`, sk: 'IDEMP' }),
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

const NOT_EXISTS = 'attribute_not_exists(pk)';

/** The two puts that create an invitation: its record and its token lookup item, each only if new. */
export function invitationCreation(tableName: string, invitation: Invitation): Record<string, unknown>[] {
  return [
    { Put: { TableName: tableName, Item: invitationItem(invitation, 1), ConditionExpression: NOT_EXISTS } },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.token(invitation.tokenHash), entity: 'token', invitationId: invitation.id },
        ConditionExpression: NOT_EXISTS,
      },
    },
  ];
}

/** Holds a transaction to a parent that is still active, unexpired and allowed to invite at `at`. */
export function parentStillInvites(tableName: string, parentId: string, at: string): Record<string, unknown> {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: keys.invitation(parentId),
      ConditionExpression: '#status = :active AND canInvite = :true AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ':true': true, ':now': at },
    },
  };
}
